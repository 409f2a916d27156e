"""Kernel input events → contact frames, for the four protocols panels speak.

Pure: no file descriptors. The protocol is chosen from the device's capabilities:
MT protocol B (slots), MT protocol A (`SYN_MT_REPORT` packets), single touch
(`ABS_X/ABS_Y` + `BTN_TOUCH`), or an absolute mouse-like panel (`BTN_LEFT`, the QEMU
usb-tablet). Positions are normalised to [0, 1] by the axis ranges. On `SYN_DROPPED`
everything up to the next `SYN_REPORT` is discarded and every contact is forgotten, so a
contact that was down at the drop can never end in a tap: after the drop only contacts
that provably started afresh (a new tracking id, a new button press, or for protocol A a
report with no finger first) are reported.
"""

from __future__ import annotations

from typing import NamedTuple

from appliance.touch import codes
from appliance.touch.description import DeviceDescription
from appliance.touch.devices import rejection_reason

MT_B = "mt-b"
MT_A = "mt-a"
SINGLE_TOUCH = "single-touch"
ABS_MOUSE = "abs-mouse"


class DecoderError(ValueError):
    """The device cannot be decoded as a touch panel (one sentence)."""


class Contact(NamedTuple):
    id: int
    x: float
    y: float


class Frame(NamedTuple):
    """The contacts down after one `SYN_REPORT`; `dropped` when events were lost before it."""

    t: float
    contacts: tuple[Contact, ...]
    dropped: bool = False


def choose_protocol(description: DeviceDescription) -> str:
    reason = rejection_reason(description)
    if reason is not None:
        raise DecoderError(f"{description.name} is not a touch panel: {reason}.")
    mt_axes = (codes.ABS_MT_POSITION_X, codes.ABS_MT_POSITION_Y)
    if all(description.axis_usable(axis) for axis in mt_axes):
        return MT_B if description.has_abs(codes.ABS_MT_SLOT) else MT_A
    if description.has(codes.EV_KEY, codes.BTN_TOUCH):
        return SINGLE_TOUCH
    return ABS_MOUSE


class _Axis:
    __slots__ = ("minimum", "scale")

    def __init__(self, description: DeviceDescription, code: int) -> None:
        ranges = description.abs_ranges or {}
        if code not in ranges:
            raise DecoderError(f"{description.name} does not give the range of axis {code:#x}.")
        minimum, maximum = ranges[code]
        if maximum == minimum:
            raise DecoderError(f"{description.name} reports an axis with min == max.")
        self.minimum = minimum
        self.scale = 1.0 / (maximum - minimum)

    def normalise(self, value: int) -> float:
        n = (value - self.minimum) * self.scale
        return 0.0 if n < 0.0 else 1.0 if n > 1.0 else n


class Decoder:
    """Feed events in order; a `Frame` comes back at each `SYN_REPORT`."""

    def __init__(self, description: DeviceDescription) -> None:
        self.protocol = choose_protocol(description)
        mt = self.protocol in (MT_A, MT_B)
        self._code_x = codes.ABS_MT_POSITION_X if mt else codes.ABS_X
        self._code_y = codes.ABS_MT_POSITION_Y if mt else codes.ABS_Y
        self._axis_x = _Axis(description, self._code_x)
        self._axis_y = _Axis(description, self._code_y)
        self._button = codes.BTN_TOUCH if self.protocol != ABS_MOUSE else codes.BTN_LEFT
        slots = 1
        if self.protocol == MT_B:
            span = (description.abs_ranges or {}).get(codes.ABS_MT_SLOT)
            slots = max(1, min(64, span.maximum + 1)) if span else 16
        self._dropping = False
        # MT-B: per slot tracking id (-1 = empty) and last raw position; the kernel sends
        # only changed values, so positions persist across contacts in the same slot.
        self._slot = 0
        self._tracking = [-1] * slots
        self._raw_x: list[int | None] = [None] * slots
        self._raw_y: list[int | None] = [None] * slots
        # Single touch / mouse: button state and last raw position.
        self._down = False
        # MT-A: packets of the frame being read, and the previous frame for identities.
        self._packet_x: int | None = None
        self._packet_y: int | None = None
        self._packet_id: int | None = None
        self._packets: list[tuple[int | None, int, int]] = []
        self._released = False
        self._stale = False  # MT-A after lost events: fingers may be the old ones
        self._previous: tuple[Contact, ...] = ()
        self._next_id = 0

    def feed(self, event_type: int, code: int, value: int, t: float) -> Frame | None:
        if event_type == codes.EV_SYN:
            if code == codes.SYN_REPORT:
                if self._dropping:
                    self._dropping = False
                    self._reset()
                    return Frame(t, (), True)
                return self._frame(t)
            if code == codes.SYN_DROPPED:
                self._dropping = True
            elif code == codes.SYN_MT_REPORT and self.protocol == MT_A and not self._dropping:
                self._end_packet()
            return None
        if self._dropping:
            return None
        if event_type == codes.EV_ABS:
            self._abs(code, value)
        elif event_type == codes.EV_KEY and code == self._button:
            self._down = value != 0
            if value == 0:
                self._released = True
        return None

    def _abs(self, code: int, value: int) -> None:
        protocol = self.protocol
        if protocol == MT_B:
            slot = self._slot
            if code == codes.ABS_MT_SLOT:
                self._slot = value
            elif not 0 <= slot < len(self._tracking):
                return
            elif code == self._code_x:
                self._raw_x[slot] = value
            elif code == self._code_y:
                self._raw_y[slot] = value
            elif code == codes.ABS_MT_TRACKING_ID:
                self._tracking[slot] = value if value >= 0 else -1
        elif protocol == MT_A:
            if code == self._code_x:
                self._packet_x = value
            elif code == self._code_y:
                self._packet_y = value
            elif code == codes.ABS_MT_TRACKING_ID:
                self._packet_id = value
        elif code == self._code_x:
            self._raw_x[0] = value
        elif code == self._code_y:
            self._raw_y[0] = value

    def _end_packet(self) -> None:
        x, y = self._packet_x, self._packet_y
        if x is not None and y is not None:
            self._packets.append((self._packet_id, x, y))
        self._packet_x = self._packet_y = self._packet_id = None

    def _frame(self, t: float) -> Frame:
        protocol = self.protocol
        nx, ny = self._axis_x.normalise, self._axis_y.normalise
        if protocol == MT_B:
            contacts = tuple(
                Contact(tracking, nx(x), ny(y))
                for tracking, x, y in zip(self._tracking, self._raw_x, self._raw_y, strict=True)
                if tracking >= 0 and x is not None and y is not None
            )
        elif protocol == MT_A:
            contacts = self._mt_a_contacts(nx, ny)
        else:
            x, y = self._raw_x[0], self._raw_y[0]
            known = self._down and x is not None and y is not None
            contacts = (Contact(0, nx(x), ny(y)),) if known else ()
        return Frame(t, contacts)

    def _mt_a_contacts(self, nx, ny) -> tuple[Contact, ...]:
        # A button release or a frame without any packet means every finger is up.
        packets, self._packets = self._packets, []
        released, self._released = self._released, False
        if released and not self._down or not packets:
            self._previous = ()
            self._stale = False
            return ()
        if self._stale:
            # Protocol A repeats every finger in every report: after lost events the
            # fingers reported may be the ones that were down before, so none counts
            # until the panel reports no finger at all.
            return ()
        points = [(tracking, nx(x), ny(y)) for tracking, x, y in packets]
        identities: list[int | None] = [tracking for tracking, _, _ in points]
        if any(identity is None for identity in identities) and self._previous:
            # Without tracking ids a contact keeps the id of the nearest one before it,
            # closest pairs first.
            pairs = sorted(
                ((c.x - px) ** 2 + (c.y - py) ** 2, index, c.id)
                for index, (tracking, px, py) in enumerate(points)
                if tracking is None
                for c in self._previous
            )
            taken: set[int] = set()
            for _, index, identity in pairs:
                if identities[index] is None and identity not in taken:
                    identities[index] = identity
                    taken.add(identity)
        contacts = tuple(
            Contact(identity if identity is not None else self._new_id(), px, py)
            for identity, (_, px, py) in zip(identities, points, strict=True)
        )
        self._previous = contacts
        return contacts

    def _new_id(self) -> int:
        self._next_id += 1
        return 1_000_000 + self._next_id

    def _reset(self) -> None:
        """After lost events nothing is known about the contacts: forget them all."""
        for slot in range(len(self._tracking)):
            self._tracking[slot] = -1
        self._down = False
        self._packets = []
        self._packet_x = self._packet_y = self._packet_id = None
        self._released = False
        self._previous = ()
        self._stale = self.protocol == MT_A
