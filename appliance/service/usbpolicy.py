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

import re
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
    """The panels to pin at first boot: the devices on `touch_ports` that are plain HID
    without a keyboard. A totem's first start passes every port (the installer plugs only
    the panel then); its HID devices are not authorized yet, so no input node tells more."""
    return [Pin.of(d) for d in devices if d.port in touch_ports and _plain_hid(d)]


def _plain_hid(device: Device) -> bool:
    return (
        bool(device.interfaces)
        and {i[0] for i in device.interfaces} == {HID}
        and BOOT_KEYBOARD not in device.interfaces
    )


def replacement_candidates(devices: list[Device], pins: list[Pin]) -> list[Device]:
    """The devices plugged now that a technician may accept as the touch panel from the
    service menu: plain HID without a keyboard interface, and refused today."""
    return [d for d in devices if _plain_hid(d) and not decide(d, pins).authorized]


def replace_panel(pins: list[Pin], devices: list[Device], panel: Device) -> list[Pin]:
    """The pins once `panel` is accepted: it, and the pinned panels still plugged (the one
    it replaces, gone, is no longer let in)."""
    plugged = {Pin.of(d) for d in devices}
    return [p for p in pins if p in plugged and p != Pin.of(panel)] + [Pin.of(panel)]


def parse_descriptors(raw: bytes) -> tuple[str, tuple[tuple[str, str, str], ...]]:
    """(device class, interfaces) from a device's raw descriptors (sysfs `descriptors`: the
    device descriptor, then its configurations'). The kernel keeps them for a device it has
    not authorized, whose interfaces have no sysfs directory yet. The first configuration's
    interfaces count, each in its first alternate setting; ValueError for a blob that is
    not descriptors (a device lying about itself is refused, not guessed at)."""
    if len(raw) < 18 or raw[0] != 18 or raw[1] != 1:
        raise ValueError("no USB device descriptor")
    device_class = f"{raw[4]:02x}"
    interfaces: list[tuple[str, str, str]] = []
    index, configurations = 18, 0
    while index + 2 <= len(raw):
        length, kind = raw[index], raw[index + 1]
        if length < 2 or index + length > len(raw):
            raise ValueError(f"a descriptor of {length} bytes at byte {index} does not fit")
        if kind == 2:  # configuration
            configurations += 1
            if configurations > 1:
                break
        elif kind == 4 and length >= 9 and raw[index + 3] == 0:  # interface, altsetting 0
            interfaces.append(tuple(f"{raw[index + k]:02x}" for k in (5, 6, 7)))  # type: ignore[arg-type]
        index += length
    return device_class, tuple(interfaces)


def read_device(sysfs: Path) -> Device:
    """A device as sysfs describes it (/sys/bus/usb/devices/1-1.2): its ids, and its class
    and interfaces from its raw descriptors where sysfs has them (always, on a totem's
    kernel), else from its interfaces' directories (1-1.2:1.0 …). OSError or ValueError
    when it is not a USB device."""

    def value(path: Path, name: str) -> str:
        text = (path / name).read_text(encoding="ascii").strip().lower()
        if not text or len(text) > 4 or any(c not in "0123456789abcdef" for c in text):
            raise ValueError(f"{path / name}: {text[:8]!r} is not a hex field")
        return text

    vendor, product = value(sysfs, "idVendor"), value(sysfs, "idProduct")
    descriptors = sysfs / "descriptors"
    if descriptors.exists():
        device_class, interfaces = parse_descriptors(descriptors.read_bytes()[:65536])
        return Device(vendor, product, sysfs.name, device_class, interfaces)
    interfaces = tuple(
        (
            value(i, "bInterfaceClass"),
            value(i, "bInterfaceSubClass"),
            value(i, "bInterfaceProtocol"),
        )
        for i in sorted(sysfs.parent.glob(f"{sysfs.name}:*"))
    )
    return Device(vendor, product, sysfs.name, value(sysfs, "bDeviceClass"), interfaces)


SYSFS = Path("/sys/bus/usb/devices")
DEVICE_NAME = re.compile(r"[0-9]+-[0-9]+(\.[0-9]+)*", re.ASCII)  # 1-1, 1-1.2; not usb1, 1-1:1.0


def read_devices(sysfs: Path, names: list[str]) -> tuple[list[Device], list[str]]:
    """The devices `names` (sysfs port names; others ignored) as sysfs describes them, and
    a line for each that could not be read (gone already, or lying about itself)."""
    devices, unreadable = [], []
    for name in sorted(n for n in names if DEVICE_NAME.fullmatch(n)):
        try:
            devices.append(read_device(Path(sysfs) / name))
        except (OSError, ValueError) as error:
            unreadable.append(f"{name}: unreadable ({error})")
    return devices, unreadable


def plugged(sysfs: Path = SYSFS) -> list[Device]:
    """Every USB device plugged now (the unreadable ones left out)."""
    try:
        names = [p.name for p in Path(sysfs).iterdir()]
    except OSError:
        return []
    return read_devices(sysfs, names)[0]


# -- the pins, on the data partition ------------------------------------------------------

PINS_FILE = "usb-pins.json"


def load_pins(data_dir: Path) -> list[Pin] | None:
    """The pinned panels; None before the first boot pinned any, and for a file that
    cannot be read (written atomically, it is not damaged by a power cut): the boot then
    pins what is plugged again rather than leave a totem without its panel."""
    import json

    try:
        raw = json.loads((Path(data_dir) / PINS_FILE).read_text(encoding="ascii"))
        return [
            Pin(str(p["ident"]), str(p["port"]), tuple(tuple(map(str, i)) for i in p["interfaces"]))
            for p in raw["pins"]
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_pins(data_dir: Path, pins: list[Pin]) -> None:
    import json

    from appliance.durable import write_atomically

    record = {
        "pins": [{"ident": p.ident, "port": p.port, "interfaces": p.interfaces} for p in pins]
    }
    write_atomically(Path(data_dir) / PINS_FILE, json.dumps(record).encode())
