"""autoboot.txt, the Pi 4 firmware's choice of boot partition (pure: text in, text out).

With `tryboot_a_b=1` the firmware starts the partition named in `[all]`, or, once after a
`reboot "0 tryboot"`, the one named in `[tryboot]`. The updater swaps the two numbers and
nothing else, so a rewritten file has the same length as the old one (see backend.py for
how it is written to the FAT partition). The QEMU runner (image/qemu.py) reads it with
`boot_partition()` exactly as the firmware does.
"""

from __future__ import annotations

from dataclasses import dataclass

HEADER = (
    "# Read by the Raspberry Pi 4 firmware: which FAT partition holds the system to start.\n"
    "# Rewritten by the totem's updater; change it by hand only to recover a card.\n"
)
# Section filters the Pi 4 firmware applies; others ([pi5], [cm4]…) do not concern it.
_PI4_SECTIONS = ("all", "pi4")


class AutobootError(ValueError):
    """An autoboot.txt the firmware would not start a totem from."""


@dataclass(frozen=True)
class Autoboot:
    default: int  # boot partition started normally
    tryboot: int  # boot partition started once after `reboot "0 tryboot"`

    def swapped(self) -> Autoboot:
        return Autoboot(self.tryboot, self.default)


def render(choice: Autoboot) -> str:
    return (
        HEADER
        + "[all]\n"
        + "tryboot_a_b=1\n"
        + f"boot_partition={choice.default}\n"
        + "[tryboot]\n"
        + f"boot_partition={choice.tryboot}\n"
    )


def _sections(text: str) -> dict[str, dict[str, str]]:
    sections: dict[str, dict[str, str]] = {}
    current = "all"
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip().lower()
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise AutobootError(f"autoboot.txt line {number}: {raw.strip()!r} is not key=value")
        sections.setdefault(current, {})[key.strip()] = value.strip()
    return sections


def boot_partition(text: str, tryboot: bool) -> int:
    """The partition the firmware starts from this file, with or without the tryboot flag."""
    sections = _sections(text)
    settings: dict[str, str] = {}
    for name in _PI4_SECTIONS:
        settings.update(sections.get(name, {}))
    if tryboot and settings.get("tryboot_a_b") == "1":
        settings.update(sections.get("tryboot", {}))
    return _partition(settings.get("boot_partition"))


def parse(text: str) -> Autoboot:
    """The two choices of a file the updater wrote (or the image shipped)."""
    choice = Autoboot(boot_partition(text, False), boot_partition(text, True))
    if choice.default == choice.tryboot:
        raise AutobootError("autoboot.txt: tryboot starts the same partition as a normal boot")
    return choice


def _partition(value: str | None) -> int:
    if value is None:
        raise AutobootError("autoboot.txt names no boot_partition")
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= 127:
        raise AutobootError(f"autoboot.txt: boot_partition={value!r} is not a partition number")
    return int(value)
