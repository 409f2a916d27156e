"""A synthetic multitouch panel for the benchmarks: its evemu header and its touches.

An MT protocol B panel (INPUT_PROP_DIRECT, slots, tracking ids, BTN_TOUCH and the
single-touch axes too), like the panels the kiosk ships with, so the benchmarks go
through the same decoder path as a real touch.
"""

from __future__ import annotations

from appliance.touch.codes import (
    ABS_MT_POSITION_X,
    ABS_MT_POSITION_Y,
    ABS_MT_SLOT,
    ABS_MT_TRACKING_ID,
    ABS_X,
    ABS_Y,
    BTN_TOUCH,
    EV_ABS,
    EV_KEY,
    EV_SYN,
    INPUT_PROP_DIRECT,
    SYN_REPORT,
)

UNITS = 4095  # the panel's axis range is 0..UNITS on both axes

_AXES = {
    ABS_X: UNITS,
    ABS_Y: UNITS,
    ABS_MT_SLOT: 9,
    ABS_MT_POSITION_X: UNITS,
    ABS_MT_POSITION_Y: UNITS,
    ABS_MT_TRACKING_ID: 65535,
}


def header(name: str = "Totem bench panel") -> str:
    """The evemu description (`N: I: P: B: A:` lines) of the synthetic panel."""
    lines = [f"N: {name}", "I: 0018 0000 0000 0000", "P: " + _hex_bytes({INPUT_PROP_DIRECT}, 8)]
    for event_type, bits, size in (
        (EV_SYN, {SYN_REPORT, EV_KEY, EV_ABS}, 8),
        (EV_KEY, {BTN_TOUCH}, 96),
        (EV_ABS, set(_AXES), 8),
    ):
        masks = _bytes(bits, size)
        for start in range(0, size, 8):
            chunk = " ".join(f"{byte:02x}" for byte in masks[start : start + 8])
            lines.append(f"B: {event_type:02x} {chunk}")
    lines += [f"A: {code:02x} 0 {high} 0 0 0" for code, high in _AXES.items()]
    return "\n".join(lines) + "\n"


def units(pixel: float, extent: int) -> int:
    """Screen pixel → panel units (the inverse of pixel = round(n × (size − 1)))."""
    return round(pixel / (extent - 1) * UNITS)


def finger_down(x: int, y: int, size: tuple[int, int], tracking_id: int) -> list[tuple]:
    """(type, code, value) events of one finger touching at screen pixel (x, y)."""
    return contact(units(x, size[0]), units(y, size[1]), tracking_id)


def contact(ux: int, uy: int, tracking_id: int) -> list[tuple]:
    """One finger down at panel units (ux, uy), as an MT protocol B panel reports it (with
    the single-touch axes too); also what the tests' scripted citizen sends."""
    return [
        (EV_ABS, ABS_MT_SLOT, 0),
        (EV_ABS, ABS_MT_TRACKING_ID, tracking_id),
        (EV_ABS, ABS_MT_POSITION_X, ux),
        (EV_ABS, ABS_MT_POSITION_Y, uy),
        (EV_KEY, BTN_TOUCH, 1),
        (EV_ABS, ABS_X, ux),
        (EV_ABS, ABS_Y, uy),
        (EV_SYN, SYN_REPORT, 0),
    ]


def finger_up() -> list[tuple]:
    return [
        (EV_ABS, ABS_MT_SLOT, 0),
        (EV_ABS, ABS_MT_TRACKING_ID, -1),
        (EV_KEY, BTN_TOUCH, 0),
        (EV_SYN, SYN_REPORT, 0),
    ]


def _bytes(bits: set[int], size: int) -> list[int]:
    values = [0] * size
    for bit in bits:
        values[bit // 8] |= 1 << (bit % 8)
    return values


def _hex_bytes(bits: set[int], size: int) -> str:
    return " ".join(f"{byte:02x}" for byte in _bytes(bits, size))
