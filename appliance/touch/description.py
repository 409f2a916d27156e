"""What a device says about itself: name, supported codes, axis ranges, properties.

The same description comes from three places (an evemu header, sysfs, an open evdev
node); the device choice and the decoder read only this.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from appliance.touch import codes


class AbsRange(NamedTuple):
    minimum: int
    maximum: int


@dataclass(frozen=True, eq=False)
class DeviceDescription:
    """Capabilities of one input node: `capabilities` maps an event type to its codes (as
    in evdev, the EV_SYN entry lists the event types); `abs_ranges` is None when the source
    cannot tell (sysfs does not expose axis ranges)."""

    name: str
    capabilities: Mapping[int, frozenset[int]]
    properties: frozenset[int] = frozenset()
    abs_ranges: Mapping[int, AbsRange] | None = None
    bus: int = 0
    vendor: int = 0
    product: int = 0

    def has(self, event_type: int, code: int) -> bool:
        return code in self.capabilities.get(event_type, frozenset())

    def has_abs(self, *axes: int) -> bool:
        return all(self.has(codes.EV_ABS, axis) for axis in axes)

    def axis_usable(self, axis: int) -> bool:
        """An axis is usable when supported and, if its range is known, not degenerate."""
        if not self.has(codes.EV_ABS, axis):
            return False
        if self.abs_ranges is None:
            return True
        span = self.abs_ranges.get(axis)
        return span is not None and span.maximum != span.minimum


def bits_from_bytes(values: Iterable[int]) -> frozenset[int]:
    """Bit numbers set in a little-endian byte string (evemu `B:` and `P:` lines)."""
    bits = set()
    for index, byte in enumerate(values):
        for bit in range(8):
            if byte >> bit & 1:
                bits.add(index * 8 + bit)
    return frozenset(bits)


def bits_from_sysfs(text: str, word_bits: int = 64) -> frozenset[int]:
    """Bit numbers set in a sysfs capability file: hex words, most significant first."""
    words = text.split()
    bits = set()
    for position, word in enumerate(reversed(words)):
        value = int(word, 16)
        base = position * word_bits
        while value:
            low = value & -value
            bits.add(base + low.bit_length() - 1)
            value ^= low
    return frozenset(bits)
