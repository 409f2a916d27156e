"""Which input node is the touch panel: a pure choice over capabilities, and a sysfs scan.

DESIGN.md: nodes with INPUT_PROP_DIRECT, or absolute X/Y plus BTN_TOUCH/BTN_LEFT, are
touch panels; axes with min == max are unusable; when a panel exposes a multitouch node
and a mouse sibling, the multitouch node wins. The QEMU `usb-tablet` (absolute X/Y +
BTN_LEFT) is accepted, which is how the system tests touch the image.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from appliance.touch import codes
from appliance.touch.description import AbsRange, DeviceDescription, bits_from_sysfs

_SYSFS_TYPES = {"ev": codes.EV_SYN, "key": codes.EV_KEY, "rel": codes.EV_REL, "abs": codes.EV_ABS}


@dataclass(frozen=True, eq=False)
class Candidate:
    """One `/dev/input/eventN` node and what it can report."""

    node: str
    description: DeviceDescription

    @property
    def name(self) -> str:
        return self.description.name

    @property
    def path(self) -> str:
        return f"/dev/input/{self.node}"

    @property
    def capabilities(self) -> Mapping[int, frozenset[int]]:
        return self.description.capabilities

    @property
    def properties(self) -> frozenset[int]:
        return self.description.properties

    @property
    def abs_ranges(self) -> Mapping[int, AbsRange] | None:
        return self.description.abs_ranges


def rejection_reason(description: DeviceDescription) -> str | None:
    """Why this node is not a touch panel, or None when it is one."""
    has_mt = description.has_abs(codes.ABS_MT_POSITION_X, codes.ABS_MT_POSITION_Y)
    has_st = description.has_abs(codes.ABS_X, codes.ABS_Y)
    if not (has_mt or has_st):
        return "it reports no absolute X/Y position"
    usable_mt = has_mt and all(
        description.axis_usable(axis) for axis in (codes.ABS_MT_POSITION_X, codes.ABS_MT_POSITION_Y)
    )
    usable_st = has_st and all(description.axis_usable(axis) for axis in (codes.ABS_X, codes.ABS_Y))
    if not (usable_mt or usable_st):
        return "its X/Y axes have an empty range (min == max)"
    direct = codes.INPUT_PROP_DIRECT in description.properties
    if (
        codes.INPUT_PROP_POINTER in description.properties
        and not direct
        and description.has(codes.EV_KEY, codes.BTN_TOOL_FINGER)
    ):
        return "it is a touchpad, not a touch screen"
    if not (
        direct
        or description.has(codes.EV_KEY, codes.BTN_TOUCH)
        or description.has(codes.EV_KEY, codes.BTN_LEFT)
    ):
        return "it reports neither touch nor button presses"
    return None


def is_touch_device(description: DeviceDescription) -> bool:
    return rejection_reason(description) is None


def _preference(candidate: Candidate) -> tuple:
    description = candidate.description
    multitouch = description.has_abs(codes.ABS_MT_POSITION_X, codes.ABS_MT_POSITION_Y)
    direct = codes.INPUT_PROP_DIRECT in description.properties
    touch = description.has(codes.EV_KEY, codes.BTN_TOUCH)
    number = re.search(r"(\d+)$", candidate.node)
    # Higher is better for the first three; then the lowest event number, for stability.
    return (-multitouch, -direct, -touch, int(number.group(1)) if number else 0, candidate.node)


def choose_touch_device(candidates: Iterable[Candidate]) -> Candidate | None:
    """The node to read, or None when no candidate is a touch panel."""
    usable = [candidate for candidate in candidates if is_touch_device(candidate.description)]
    if not usable:
        return None
    return min(usable, key=_preference)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def _hex(text: str) -> int:
    try:
        return int(text, 16)
    except ValueError:
        return 0


def _bitmap(path: Path, word_bits: int) -> frozenset[int]:
    try:
        return bits_from_sysfs(_read(path) or "0", word_bits)
    except ValueError:  # not a bitmap: the node reports nothing we could use
        return frozenset()


def read_sysfs_node(event_dir: Path, word_bits: int | None = None) -> Candidate:
    """Describe one `/sys/class/input/eventN` from its `device/` attributes."""
    bits = word_bits or struct.calcsize("P") * 8
    device = event_dir / "device"
    capabilities = {
        event_type: _bitmap(device / "capabilities" / name, bits)
        for name, event_type in _SYSFS_TYPES.items()
    }
    description = DeviceDescription(
        name=_read(device / "name") or event_dir.name,
        capabilities={key: value for key, value in capabilities.items() if value},
        properties=_bitmap(device / "properties", bits),
        abs_ranges=None,
        bus=_hex(_read(device / "id" / "bustype")),
        vendor=_hex(_read(device / "id" / "vendor")),
        product=_hex(_read(device / "id" / "product")),
    )
    return Candidate(node=event_dir.name, description=description)


def scan_sysfs(sysroot: str = "/", word_bits: int | None = None) -> list[Candidate]:
    """Every evdev node under `sysroot`/sys/class/input, in event-number order.

    Axis ranges are not in sysfs: `abs_ranges` is None here (the reader takes them from
    the open node).
    """
    root = Path(sysroot) / "sys" / "class" / "input"
    if not root.is_dir():
        return []
    nodes = [entry for entry in root.iterdir() if re.fullmatch(r"event\d+", entry.name)]
    nodes.sort(key=lambda entry: int(entry.name[5:]))
    return [read_sysfs_node(entry, word_bits) for entry in nodes]
