"""Synthetic panels and event streams for the touch tests (raw axes 0..1000)."""

from __future__ import annotations

from appliance.touch import codes
from appliance.touch.description import AbsRange, DeviceDescription

RAW_MAX = 1000
_XY = {codes.ABS_X: AbsRange(0, RAW_MAX), codes.ABS_Y: AbsRange(0, RAW_MAX)}
_MT_XY = {
    codes.ABS_MT_POSITION_X: AbsRange(0, RAW_MAX),
    codes.ABS_MT_POSITION_Y: AbsRange(0, RAW_MAX),
}


def _panel(name, keys, ranges, properties=frozenset({codes.INPUT_PROP_DIRECT})):
    return DeviceDescription(
        name=name,
        capabilities={codes.EV_KEY: frozenset(keys), codes.EV_ABS: frozenset(ranges)},
        properties=frozenset(properties),
        abs_ranges=dict(ranges),
    )


MT_B_PANEL = _panel(
    "MT-B panel",
    {codes.BTN_TOUCH},
    {
        **_XY,
        **_MT_XY,
        codes.ABS_MT_SLOT: AbsRange(0, 9),
        codes.ABS_MT_TRACKING_ID: AbsRange(0, 65535),
    },
)
MT_A_PANEL = _panel("MT-A panel", {codes.BTN_TOUCH}, {**_XY, **_MT_XY}, frozenset())
SINGLE_TOUCH_PANEL = _panel("single-touch panel", {codes.BTN_TOUCH}, _XY)
# What QEMU's usb-tablet looks like: absolute X/Y and mouse buttons, no properties.
USB_TABLET = _panel("QEMU QEMU USB Tablet", {codes.BTN_LEFT, 0x111, 0x112}, _XY, frozenset())


def syn(t: float) -> list[tuple[float, int, int, int]]:
    return [(t, codes.EV_SYN, codes.SYN_REPORT, 0)]


def dropped(t: float) -> list[tuple[float, int, int, int]]:
    return [(t, codes.EV_SYN, codes.SYN_DROPPED, 0)]


def mt_b_path(points, slot=0, tracking_id=1):
    """One finger in `slot` through `points` [(t, x, y)…], lifted after the last one."""
    events = []
    for index, (t, x, y) in enumerate(points):
        events.append((t, codes.EV_ABS, codes.ABS_MT_SLOT, slot))
        if index == 0:
            events.append((t, codes.EV_ABS, codes.ABS_MT_TRACKING_ID, tracking_id))
        events.append((t, codes.EV_ABS, codes.ABS_MT_POSITION_X, x))
        events.append((t, codes.EV_ABS, codes.ABS_MT_POSITION_Y, y))
        events += syn(t)
    return events


def mt_b_lift(t, slot=0):
    return [
        (t, codes.EV_ABS, codes.ABS_MT_SLOT, slot),
        (t, codes.EV_ABS, codes.ABS_MT_TRACKING_ID, -1),
        *syn(t),
    ]


def single_touch_path(points, button=codes.BTN_TOUCH):
    events = []
    for index, (t, x, y) in enumerate(points):
        events.append((t, codes.EV_ABS, codes.ABS_X, x))
        events.append((t, codes.EV_ABS, codes.ABS_Y, y))
        if index == 0:
            events.append((t, codes.EV_KEY, button, 1))
        events += syn(t)
    return events


def single_touch_lift(t, button=codes.BTN_TOUCH):
    return [(t, codes.EV_KEY, button, 0), *syn(t)]


def mt_a_frame(t, contacts):
    """One MT-A frame with `contacts` [(x, y)…]; no contacts means every finger is up."""
    events = []
    for x, y in contacts:
        events.append((t, codes.EV_ABS, codes.ABS_MT_POSITION_X, x))
        events.append((t, codes.EV_ABS, codes.ABS_MT_POSITION_Y, y))
        events.append((t, codes.EV_SYN, codes.SYN_MT_REPORT, 0))
    events.append((t, codes.EV_KEY, codes.BTN_TOUCH, 1 if contacts else 0))
    return events + syn(t)


def contract(gestures):
    """(kind, x, y) of the gestures `totem replay-touch` prints."""
    from appliance.touch.gestures import CONTRACT_KINDS

    return [(g.kind, g.x, g.y) for g in gestures if g.kind in CONTRACT_KINDS]


def single_touch_header(name: str, raw_max: int = RAW_MAX) -> str:
    """The evemu description of a single-touch panel (INPUT_PROP_DIRECT, BTN_TOUCH, ABS_X/Y
    over 0..raw_max): what the FIFO and file replay tests write before their events."""
    return (
        f"N: {name}\n"
        "P: 02 00 00 00 00 00 00 00\n"
        "B: 00 0b 00 00 00 00 00 00 00\n"
        + "B: 01 00 00 00 00 00 00 00 00\n"
        * 5
        + "B: 01 00 04 00 00 00 00 00 00\n"
        "B: 03 03 00 00 00 00 00 00 00\n"
        f"A: 00 0 {raw_max} 0 0 0\n"
        f"A: 01 0 {raw_max} 0 0 0\n"
    )
