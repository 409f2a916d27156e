"""Reading evemu recordings: the device header (`N: I: P: B: A:`) and `E:` event lines.

The header may sit in the recording itself or in a separate `.desc` file. Lines are fed
one at a time so a FIFO can be replayed as it is written. Anything that is not a comment,
a header line or an event is an error naming its line number.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from appliance.touch import codes
from appliance.touch.description import AbsRange, DeviceDescription, bits_from_bytes


class EvemuError(ValueError):
    """A recording or description that cannot be read; `line` is 1-based (0: whole file)."""

    def __init__(self, line: int, message: str, path: str | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line
        self.message = message
        self.path = path  # the file at fault, once known


class InputEvent(NamedTuple):
    t: float
    type: int
    code: int
    value: int


# LEDs and switches (`L:`, `S:`) are part of the format but of no use to a touch panel.
_IGNORED_PREFIXES = ("L:", "S:")


def parse_event(text: str, line: int) -> InputEvent:
    """One `E: sec.usec type code value` line (type and code in hex, value in decimal)."""
    fields = text.split("#", 1)[0].split()
    expected = f"expected 'E: seconds type code value', got {text.strip()[:80]!r}"
    if len(fields) != 5 or fields[0] != "E:":
        raise EvemuError(line, expected)
    try:
        event = InputEvent(float(fields[1]), int(fields[2], 16), int(fields[3], 16), int(fields[4]))
    except ValueError:
        raise EvemuError(line, expected) from None
    # What a kernel can send: a finite, non-negative time and 16-bit type and code with a
    # 32-bit signed value. Anything else is a forged line, refused before it reaches maths.
    if not (math.isfinite(event.t) and event.t >= 0):
        raise EvemuError(line, f"the time must be a finite number of seconds, not {fields[1]!r}")
    if not (0 <= event.type <= 0xFFFF and 0 <= event.code <= 0xFFFF):
        raise EvemuError(line, f"type and code must be 16-bit hex numbers: {text.strip()[:80]!r}")
    if not -(2**31) <= event.value < 2**31:
        raise EvemuError(line, f"the value must be a 32-bit number, not {fields[4][:40]!r}")
    return event


class _Header:
    """Accumulates the header lines of one device."""

    def __init__(self) -> None:
        self.name: str | None = None
        self.ids = (0, 0, 0)
        self.properties: list[int] = []
        self.bits: dict[int, list[int]] = {}
        self.ranges: dict[int, AbsRange] = {}

    @property
    def seen(self) -> bool:
        return self.name is not None or bool(self.bits)

    def feed(self, text: str, line: int) -> None:
        prefix, _, rest = text.partition(":")
        fields = rest.split("#", 1)[0].split() if prefix != "N" else []
        try:
            if prefix == "N":
                self.name = rest.strip()
            elif prefix == "I":
                values = [int(field, 16) for field in fields]
                if len(values) != 4:
                    raise ValueError
                self.ids = (values[0], values[1], values[2])
            elif prefix == "P":
                self.properties.extend(_bytes(fields))
            elif prefix == "B":
                if not fields:
                    raise ValueError
                self.bits.setdefault(int(fields[0], 16), []).extend(_bytes(fields[1:]))
            elif prefix == "A":
                if len(fields) not in (5, 6):
                    raise ValueError
                code, minimum, maximum = int(fields[0], 16), int(fields[1]), int(fields[2])
                self.ranges[code] = AbsRange(minimum, maximum)
        except ValueError:
            raise EvemuError(line, f"malformed '{prefix}:' header line {text.strip()!r}") from None

    def description(self) -> DeviceDescription:
        capabilities = {
            event_type: bits_from_bytes(values) for event_type, values in self.bits.items()
        }
        for code in self.ranges:
            capabilities[codes.EV_ABS] = capabilities.get(codes.EV_ABS, frozenset()) | {code}
        bus, vendor, product = self.ids
        return DeviceDescription(
            name=self.name or "unnamed device",
            capabilities={key: value for key, value in capabilities.items() if value},
            properties=bits_from_bytes(self.properties),
            abs_ranges=dict(self.ranges),
            bus=bus,
            vendor=vendor,
            product=product,
        )


def _bytes(fields: list[str]) -> list[int]:
    values = [int(field, 16) for field in fields]
    if any(not 0 <= value <= 0xFF for value in values):
        raise ValueError
    return values


class EvemuParser:
    """Feed lines in order; header lines build the description, event lines come back."""

    def __init__(self) -> None:
        self._header = _Header()
        self._events_started = False

    @property
    def description(self) -> DeviceDescription | None:
        return self._header.description() if self._header.seen else None

    def feed(self, text: str, line: int) -> InputEvent | None:
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            return None
        if stripped.startswith("E:"):
            self._events_started = True
            return parse_event(stripped, line)
        if stripped[:2] in ("N:", "I:", "P:", "B:", "A:"):
            if self._events_started:
                raise EvemuError(line, "device description after the first event")
            self._header.feed(stripped, line)
            return None
        if stripped[:2] in _IGNORED_PREFIXES:
            return None
        raise EvemuError(line, f"not an evemu line: {stripped[:60]!r}")


def iter_events(lines: Iterable[str], parser: EvemuParser | None = None) -> Iterator[InputEvent]:
    parser = parser or EvemuParser()
    for number, text in enumerate(lines, start=1):
        event = parser.feed(text, number)
        if event is not None:
            yield event


def _parse_file(path: str | Path) -> tuple[EvemuParser, list[InputEvent]]:
    parser = EvemuParser()
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            events = list(iter_events(stream, parser))
    except EvemuError as error:
        error.path = str(path)
        raise
    return parser, events


def read_description(path: str | Path) -> DeviceDescription:
    """The device described by a `.desc` file (or the header of a recording)."""
    parser, _ = _parse_file(path)
    if parser.description is None:
        raise EvemuError(0, "holds no device description (N:, B:, A: lines)", str(path))
    return parser.description


def read_recording(
    path: str | Path, desc: str | Path | None = None
) -> tuple[DeviceDescription, list[InputEvent]]:
    """A whole recording: its device (from `desc` if given, else its own header) and events."""
    parser, events = _parse_file(path)
    description = read_description(desc) if desc is not None else parser.description
    if description is None:
        raise EvemuError(0, "has no device header; give its description with --desc", str(path))
    return description, events
