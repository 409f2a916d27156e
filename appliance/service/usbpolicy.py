"""Which USB devices a totem lets the kernel use (pure: a device's description in, a verdict
and its reason out).

The kernel authorizes no USB device by itself on a totem; each one plugged is described
(vendor:product, port, device class, each interface's class/subclass/protocol, as sysfs
gives them) and only these are authorized:

- hubs (device class 09), which carry everything else;
- mass storage, every interface of class 08 and nothing else (the service dongle);
- the touch panel(s) pinned at first boot: same vendor:product on the same port with the
  same interfaces (a replacement panel is pinned from the service menu).

Anything with a HID boot keyboard interface (03/01/01) is refused, pinned or not: a stick
that pretends to be a keyboard ("BadUSB") gets nothing, and neither does a composite
device hiding a keyboard behind its storage. QEMU's tablet, keyboard and mouse share one
vendor:product (0627:0001), so a panel is matched on its interfaces too, never on its id.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HUB, HID, MASS_STORAGE = "09", "03", "08"
BOOT_KEYBOARD = (HID, "01", "01")


@dataclass(frozen=True)
class Device:
    vendor: str  # "0627"
    product: str  # "0001"
    port: str  # sysfs name of the port: "1-1", "1-1.2"
    device_class: str  # "00": per interface
    interfaces: tuple[tuple[str, str, str], ...]  # (class, subclass, protocol), hex

    @property
    def ident(self) -> str:
        return f"{self.vendor}:{self.product}"


@dataclass(frozen=True)
class Pin:
    """A touch panel pinned at first boot."""

    ident: str
    port: str
    interfaces: tuple[tuple[str, str, str], ...]

    @classmethod
    def of(cls, device: Device) -> Pin:
        return cls(device.ident, device.port, device.interfaces)


@dataclass(frozen=True)
class Verdict:
    authorized: bool
    reason: str


def decide(device: Device, pins: list[Pin]) -> Verdict:
    if BOOT_KEYBOARD in device.interfaces:
        return Verdict(False, "has a keyboard interface")
    if device.device_class == HUB:
        return Verdict(True, "hub")
    if not device.interfaces:
        return Verdict(False, "no interface")
    classes = {interface[0] for interface in device.interfaces}
    if classes == {MASS_STORAGE}:
        return Verdict(True, "mass storage (service dongle)")
    if Pin.of(device) in pins:
        return Verdict(True, "the pinned touch panel")
    if classes == {HID}:
        return Verdict(False, f"HID device {device.ident} on port {device.port} is not pinned")
    listed = ", ".join(sorted(classes))
    return Verdict(False, f"interface class {listed} is not allowed on a totem")


def first_boot_pins(devices: list[Device], touch_ports: set[str]) -> list[Pin]:
    """The panels to pin at first boot: the devices whose port the touch stack found a
    touchscreen on, when they are plain HID without a keyboard."""
    return [
        Pin.of(d)
        for d in devices
        if d.port in touch_ports
        and d.interfaces
        and {i[0] for i in d.interfaces} == {HID}
        and BOOT_KEYBOARD not in d.interfaces
    ]


def read_device(sysfs: Path) -> Device:
    """A device as sysfs describes it (/sys/bus/usb/devices/1-1.2): its own files and its
    interfaces' (1-1.2:1.0 …). OSError or ValueError when it is not a USB device."""

    def value(path: Path, name: str) -> str:
        text = (path / name).read_text(encoding="ascii").strip().lower()
        if not text or len(text) > 4 or any(c not in "0123456789abcdef" for c in text):
            raise ValueError(f"{path / name}: {text[:8]!r} is not a hex field")
        return text

    interfaces = tuple(
        (
            value(i, "bInterfaceClass"),
            value(i, "bInterfaceSubClass"),
            value(i, "bInterfaceProtocol"),
        )
        for i in sorted(sysfs.parent.glob(f"{sysfs.name}:*"))
    )
    return Device(
        value(sysfs, "idVendor"),
        value(sysfs, "idProduct"),
        sysfs.name,
        value(sysfs, "bDeviceClass"),
        interfaces,
    )
