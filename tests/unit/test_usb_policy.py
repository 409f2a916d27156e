"""USB lockdown decided from recorded device descriptions (QEMU's and real ones)."""

from __future__ import annotations

import pytest
from usb_descriptors import descriptors

from appliance.service.usbpolicy import (
    Device,
    Pin,
    decide,
    first_boot_pins,
    parse_descriptors,
    read_device,
    replace_panel,
    replacement_candidates,
)

# As sysfs describes them (idVendor, idProduct, the port, bDeviceClass, each interface's
# bInterfaceClass/SubClass/Protocol).
QEMU_TABLET = Device("0627", "0001", "1-1", "00", (("03", "00", "00"),))
QEMU_KEYBOARD = Device("0627", "0001", "1-2", "00", (("03", "01", "01"),))
QEMU_MOUSE = Device("0627", "0001", "1-3", "00", (("03", "01", "02"),))
QEMU_STORAGE = Device("46f4", "0001", "1-4", "00", (("08", "06", "50"),))
ILITEK_PANEL = Device("222a", "0001", "1-1.3", "00", (("03", "00", "00"),))
HUB = Device("2109", "3431", "1-1", "09", (("09", "00", "00"),))
BAD_USB = Device("1234", "5678", "1-4", "00", (("08", "06", "50"), ("03", "01", "01")))
RNDIS = Device("0525", "a4a2", "1-4", "02", (("02", "02", "ff"), ("0a", "00", "00")))
SERIAL = Device("0403", "6001", "1-4", "00", (("ff", "ff", "ff"),))
PINS = [Pin.of(QEMU_TABLET), Pin.of(ILITEK_PANEL)]


@pytest.mark.parametrize(
    ("device", "authorized", "words"),
    [
        (HUB, True, "hub"),
        (QEMU_STORAGE, True, "mass storage"),
        (QEMU_TABLET, True, "pinned touch panel"),
        (ILITEK_PANEL, True, "pinned touch panel"),
        (QEMU_KEYBOARD, False, "keyboard"),  # same vendor:product as the tablet
        (QEMU_MOUSE, False, "not pinned"),
        (BAD_USB, False, "keyboard"),  # storage hiding a keyboard
        (RNDIS, False, "class 02, 0a"),
        (SERIAL, False, "class ff"),
        (Device("0627", "0001", "1-2", "00", (("03", "00", "00"),)), False, "not pinned"),
        (Device("1111", "2222", "1-4", "00", ()), False, "no interface"),
    ],
)
def test_only_hubs_storage_and_the_pinned_panel_are_authorized(device, authorized, words):
    verdict = decide(device, PINS)
    assert verdict.authorized is authorized and words in verdict.reason


def test_first_boot_pins_the_panels_the_touch_stack_found_and_nothing_else():
    devices = [HUB, QEMU_TABLET, QEMU_KEYBOARD, QEMU_STORAGE]
    assert first_boot_pins(devices, {"1-1", "1-2"}) == [Pin.of(QEMU_TABLET)]
    moved = Device("0627", "0001", "1-3", "00", (("03", "00", "00"),))
    assert not decide(moved, [Pin.of(QEMU_TABLET)]).authorized  # another port: not pinned


def test_a_replacement_panel_is_offered_only_among_refused_plain_hid_devices():
    replacement = Device("222a", "0001", "1-2", "00", (("03", "00", "00"),))
    plugged = [HUB, QEMU_TABLET, QEMU_KEYBOARD, QEMU_MOUSE, QEMU_STORAGE, BAD_USB, replacement]
    # The pinned tablet is in already; keyboards and the mouse's boot protocol are not
    # panels; storage and hubs are let in anyway.
    assert replacement_candidates(plugged, [Pin.of(QEMU_TABLET)]) == [QEMU_MOUSE, replacement]


def test_an_accepted_panel_replaces_the_pins_of_panels_gone():
    replacement = Device("222a", "0001", "1-2", "00", (("03", "00", "00"),))
    # The old tablet unplugged: its pin goes, the new panel's comes.
    assert replace_panel([Pin.of(QEMU_TABLET)], [HUB, replacement], replacement) == [
        Pin.of(replacement)
    ]
    # Two panels plugged (a totem with two screens): the one still there keeps its pin.
    both = replace_panel([Pin.of(QEMU_TABLET)], [QEMU_TABLET, replacement], replacement)
    assert both == [Pin.of(QEMU_TABLET), Pin.of(replacement)]
    assert replace_panel(both, [QEMU_TABLET, replacement], replacement) == both


def sysfs_device(root, port, vendor, product, device_class, interfaces):
    """A device's directory as /sys/bus/usb/devices shows it, with its interfaces beside."""
    base = root / port
    base.mkdir()
    for name, text in (
        ("idVendor", vendor),
        ("idProduct", product),
        ("bDeviceClass", device_class),
    ):
        (base / name).write_text(text + "\n")
    for n, (cls, sub, proto) in enumerate(interfaces):
        interface = root / f"{port}:1.{n}"
        interface.mkdir()
        for name, text in (
            ("bInterfaceClass", cls),
            ("bInterfaceSubClass", sub),
            ("bInterfaceProtocol", proto),
        ):
            (interface / name).write_text(text + "\n")
    return base


def test_a_device_is_read_from_sysfs_and_odd_files_are_refused(tmp_path):
    path = sysfs_device(
        tmp_path, "1-4", "1234", "5678", "00", [("08", "06", "50"), ("03", "01", "01")]
    )
    assert read_device(path) == BAD_USB
    (path / "idVendor").write_text("../../etc\n")  # a device lying in its descriptors
    with pytest.raises(ValueError):
        read_device(path)


# -- raw descriptors, as the kernel keeps them for a device it has not authorized --------


def test_descriptors_give_the_class_and_interfaces_of_an_unauthorized_device():
    assert parse_descriptors(descriptors(0, (0, 3, 0, 0))) == ("00", (("03", "00", "00"),))
    bad_usb = descriptors(0, (0, 8, 6, 0x50), (1, 3, 1, 1))
    assert parse_descriptors(bad_usb) == ("00", (("08", "06", "50"), ("03", "01", "01")))
    assert parse_descriptors(descriptors(9, (0, 9, 0, 0))) == ("09", (("09", "00", "00"),))


def test_an_alternate_setting_or_a_second_configuration_hides_nothing_that_counts():
    raw = descriptors(0, (0, 8, 6, 0x50))
    raw += bytes([9, 4, 0, 1, 1, 3, 1, 1, 0])  # altsetting 1 of interface 0: not the one used
    assert parse_descriptors(raw)[1] == (("08", "06", "50"),)


@pytest.mark.parametrize(
    "raw",
    [b"", b"\x12\x01", bytes(18), descriptors(0, (0, 3, 0, 0)) + b"\x09\x04\x00",
     descriptors(0) + b"\x00\x04"],
    ids=["empty", "short", "zeros", "cut-interface", "zero-length"],
)  # fmt: skip
def test_descriptors_that_lie_are_refused(raw):
    with pytest.raises(ValueError):
        parse_descriptors(raw)
