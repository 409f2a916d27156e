"""Choosing the touch panel among the input nodes, from sysfs as the kernel shows it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from appliance.touch import codes
from appliance.touch.description import AbsRange, bits_from_sysfs
from appliance.touch.devices import (
    choose_touch_device,
    rejection_reason,
    scan_sysfs,
)

# Capability files as a 64-bit kernel writes them (hex words, most significant first).
MT_PANEL = {
    "name": "Goodix Capacitive TouchScreen",
    "ev": "b",
    "key": "400 0 0 0 0 0",
    "abs": "260800000000003",
    "properties": "2",
}
MOUSE_SIBLING = {
    "name": "Goodix Capacitive TouchScreen Mouse",
    "ev": "17",
    "key": "70000 0 0 0 0",
    "abs": "3",
    "rel": "103",
    "properties": "0",
}
USB_TABLET = {
    "name": "QEMU QEMU USB Tablet",
    "ev": "1f",
    "key": "70000 0 0 0 0",
    "abs": "3",
    "rel": "900",
    "properties": "0",
}
KEYBOARD = {
    "name": "AT Translated Set 2 keyboard",
    "ev": "120013",
    "key": "402000000 3803078f800d001 feffffdfffefffff fffffffffffffffe",
    "properties": "0",
}
TOUCHPAD = {
    "name": "SynPS/2 Synaptics TouchPad",
    "ev": "b",
    "key": "e520 10000 0 0 0 0",
    "abs": "660800011000003",
    "properties": "5",
}


def make_tree(root: Path, nodes: dict[str, dict[str, str]]) -> str:
    for node, attributes in nodes.items():
        device = root / "sys" / "class" / "input" / node / "device"
        (device / "capabilities").mkdir(parents=True)
        (device / "name").write_text(attributes["name"] + "\n")
        (device / "properties").write_text(attributes.get("properties", "0") + "\n")
        for kind in ("ev", "key", "abs", "rel"):
            (device / "capabilities" / kind).write_text(attributes.get(kind, "0") + "\n")
    # Not evdev nodes: the scan must skip them.
    (root / "sys" / "class" / "input" / "input3").mkdir()
    (root / "sys" / "class" / "input" / "mouse0").mkdir()
    return str(root)


def test_the_scan_reads_every_event_node_in_number_order(tmp_path):
    sysroot = make_tree(tmp_path, {"event10": USB_TABLET, "event2": MT_PANEL, "event0": KEYBOARD})
    candidates = scan_sysfs(sysroot)
    assert [c.node for c in candidates] == ["event0", "event2", "event10"]
    panel = candidates[1]
    assert panel.name == "Goodix Capacitive TouchScreen"
    assert panel.path == "/dev/input/event2"
    assert panel.capabilities[codes.EV_ABS] == {
        codes.ABS_X,
        codes.ABS_Y,
        codes.ABS_MT_SLOT,
        codes.ABS_MT_POSITION_X,
        codes.ABS_MT_POSITION_Y,
        codes.ABS_MT_TRACKING_ID,
    }
    assert panel.capabilities[codes.EV_KEY] == {codes.BTN_TOUCH}
    assert panel.properties == {codes.INPUT_PROP_DIRECT}
    assert panel.abs_ranges is None  # not in sysfs


def test_the_multitouch_node_wins_over_its_mouse_sibling(tmp_path):
    sysroot = make_tree(tmp_path, {"event4": MOUSE_SIBLING, "event5": MT_PANEL, "event0": KEYBOARD})
    assert choose_touch_device(scan_sysfs(sysroot)).node == "event5"


def test_the_qemu_usb_tablet_is_a_touch_panel(tmp_path):
    sysroot = make_tree(tmp_path, {"event0": KEYBOARD, "event1": USB_TABLET})
    chosen = choose_touch_device(scan_sysfs(sysroot))
    assert chosen.node == "event1" and chosen.name == "QEMU QEMU USB Tablet"


def test_keyboards_and_touchpads_are_not_touch_panels(tmp_path):
    sysroot = make_tree(tmp_path, {"event0": KEYBOARD, "event1": TOUCHPAD})
    candidates = scan_sysfs(sysroot)
    assert choose_touch_device(candidates) is None
    assert rejection_reason(candidates[0].description) == "it reports no absolute X/Y position"
    assert "touchpad" in rejection_reason(candidates[1].description)


def test_no_input_directory_means_no_candidates(tmp_path):
    assert scan_sysfs(str(tmp_path)) == []
    assert choose_touch_device([]) is None


def test_axes_with_min_equal_to_max_are_rejected(tmp_path):
    sysroot = make_tree(tmp_path, {"event1": USB_TABLET})
    (tablet,) = scan_sysfs(sysroot)
    flat = {codes.ABS_X: AbsRange(0, 32767), codes.ABS_Y: AbsRange(0, 0)}
    broken = dataclasses.replace(
        tablet, description=dataclasses.replace(tablet.description, abs_ranges=flat)
    )
    assert "min == max" in rejection_reason(broken.description)
    assert choose_touch_device([broken]) is None


def test_sysfs_bitmaps_of_a_32_bit_kernel():
    assert bits_from_sysfs("400 0 0 0 0 0 0 0 0 0 0", word_bits=32) == {codes.BTN_TOUCH}
    assert bits_from_sysfs("400 0 0 0 0 0") == {codes.BTN_TOUCH}


def test_an_unreadable_capability_file_counts_as_nothing(tmp_path):
    sysroot = make_tree(tmp_path, {"event1": dict(USB_TABLET, abs="not hex")})
    (tablet,) = scan_sysfs(sysroot)
    assert codes.EV_ABS not in tablet.capabilities
    assert choose_touch_device([tablet]) is None
