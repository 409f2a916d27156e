"""Contacts in screen pixels → taps, long presses and drags (DESIGN.md, "Gestures").

Pure and clock-free: frames carry their own time and `tick(t)` lets the long-press timer
fire between frames. The gesture follows the first contact down (the primary):
- a tap is that contact alone, down then up, moving ≤ slop, shorter than the long press;
  its position is the touch-down position;
- a long press fires once when the contact, still and alone, reaches the long-press time;
- a second contact cancels the tap and long press of the first;
- once the primary moves beyond the slop it is a drag: `drag_start` (touch-down position),
  `drag` at each new position, `drag_end` where it lifted.
`down` and `cancel` are feedback for the UI (a contact started / the tap or long press it
promised will not come). After lost events (`SYN_DROPPED`) the gesture is cancelled; the
decoder then reports only contacts that started afresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

TAP = "tap"
LONG_PRESS = "long_press"
DRAG_START = "drag_start"
DRAG = "drag"
DRAG_END = "drag_end"
DOWN = "down"
CANCEL = "cancel"
CONTRACT_KINDS = frozenset({TAP, LONG_PRESS, DRAG_START, DRAG, DRAG_END})

DEFAULT_SLOP_PX = 20
DEFAULT_LONG_PRESS_S = 0.5


@dataclass(frozen=True, slots=True)
class Gesture:
    kind: str
    x: int
    y: int
    t: float


# States of the primary contact.
_IDLE = 0  # nothing down
_PRESSING = 1  # one still contact: may become a tap or a long press
_HELD = 2  # still, but a tap/long press is no longer possible (second finger)
_LONG_PRESSED = 3  # the long press fired; the rest of the contact is ignored
_DRAGGING = 4
_WAIT_UP = 5  # ignore everything until no finger is down


class GestureRecognizer:
    """Feed pixel frames `(id, x, y)…` in time order; gestures come back as lists."""

    def __init__(
        self, slop_px: float = DEFAULT_SLOP_PX, long_press_s: float = DEFAULT_LONG_PRESS_S
    ) -> None:
        self.slop_sq = float(slop_px) ** 2
        self.long_press_s = float(long_press_s)
        self._state = _IDLE
        self._primary = -1
        self._down = (0, 0)
        self._down_t = 0.0
        self._last = (0, 0)

    @property
    def next_deadline(self) -> float | None:
        """When `tick` must be called for a pending long press, or None."""
        return self._down_t + self.long_press_s if self._state == _PRESSING else None

    def tick(self, t: float) -> list[Gesture]:
        if self._state == _PRESSING and t >= self._down_t + self.long_press_s:
            self._state = _LONG_PRESSED
            x, y = self._down
            return [Gesture(LONG_PRESS, x, y, self._down_t + self.long_press_s)]
        return []

    def cancel(self, t: float) -> list[Gesture]:
        """End the current gesture without a tap or long press (device gone, events lost)."""
        state = self._state
        out: list[Gesture] = []
        if state == _DRAGGING:
            out.append(Gesture(DRAG_END, self._last[0], self._last[1], t))
        elif state == _PRESSING:
            out.append(Gesture(CANCEL, self._down[0], self._down[1], t))
        self._state = _WAIT_UP if state != _IDLE else _IDLE
        return out

    def feed(
        self, contacts: Sequence[tuple[int, int, int]], t: float, dropped: bool = False
    ) -> list[Gesture]:
        out = self.tick(t)
        if dropped:
            # The decoder reports only fresh contacts after a drop; any contact in the
            # dropped frame itself may be stale, so then wait until every finger is up.
            out += self.cancel(t)
            self._state = _WAIT_UP if contacts else _IDLE
            return out
        state = self._state
        if state == _WAIT_UP:
            if not contacts:
                self._state = _IDLE
            return out
        if state == _IDLE:
            if contacts:
                self._start(contacts, t, out)
            return out
        primary = None
        for contact in contacts:
            if contact[0] == self._primary:
                primary = contact
                break
        if primary is None:
            self._lift(t, out, alone=len(contacts) == 0)
            return out
        if len(contacts) > 1 and state == _PRESSING:
            self._state = state = _HELD
            out.append(Gesture(CANCEL, self._down[0], self._down[1], t))
        x, y = primary[1], primary[2]
        if state == _DRAGGING:
            if (x, y) != self._last:
                self._last = (x, y)
                out.append(Gesture(DRAG, x, y, t))
        elif state in (_PRESSING, _HELD):
            dx, dy = x - self._down[0], y - self._down[1]
            if dx * dx + dy * dy > self.slop_sq:
                self._state = _DRAGGING
                self._last = (x, y)
                out.append(Gesture(DRAG_START, self._down[0], self._down[1], t))
                out.append(Gesture(DRAG, x, y, t))
        return out

    def _start(self, contacts: Sequence[tuple[int, int, int]], t: float, out: list) -> None:
        identity, x, y = contacts[0][0], contacts[0][1], contacts[0][2]
        self._primary = identity
        self._down = self._last = (x, y)
        self._down_t = t
        self._state = _PRESSING
        out.append(Gesture(DOWN, x, y, t))
        if len(contacts) > 1:
            self._state = _HELD
            out.append(Gesture(CANCEL, x, y, t))

    def _lift(self, t: float, out: list, alone: bool) -> None:
        state = self._state
        if state == _DRAGGING:
            out.append(Gesture(DRAG_END, self._last[0], self._last[1], t))
        elif state == _PRESSING:
            if t - self._down_t < self.long_press_s:
                out.append(Gesture(TAP, self._down[0], self._down[1], t))
            else:
                out.append(Gesture(CANCEL, self._down[0], self._down[1], t))
        self._state = _IDLE if alone else _WAIT_UP
