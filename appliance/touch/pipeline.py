"""The pure path from kernel events to gestures: decoder → transform → recogniser.

Shared by the live reader, the evemu replay and `totem replay-touch`, so a recording
replayed here behaves exactly as the panel would.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from appliance.touch.decoder import Decoder
from appliance.touch.description import DeviceDescription
from appliance.touch.gestures import (
    DEFAULT_LONG_PRESS_S,
    DEFAULT_SLOP_PX,
    Gesture,
    GestureRecognizer,
)
from appliance.touch.transform import Transform

_NONE: tuple[Gesture, ...] = ()  # shared and immutable: most events end no frame


class TouchPipeline:
    def __init__(
        self,
        description: DeviceDescription,
        *,
        size: tuple[int, int],
        rotation: int = 0,
        matrix: Sequence[float] | None = None,
        slop_px: float = DEFAULT_SLOP_PX,
        long_press_s: float = DEFAULT_LONG_PRESS_S,
    ) -> None:
        self.device_name = description.name
        self._description = description
        self._gesture_rules = (slop_px, long_press_s)
        self.decoder = Decoder(description)
        self.transform = Transform(size, rotation, matrix)
        self.recognizer = GestureRecognizer(slop_px, long_press_s)

    @property
    def protocol(self) -> str:
        return self.decoder.protocol

    def feed(self, event_type: int, code: int, value: int, t: float) -> Sequence[Gesture]:
        frame = self.decoder.feed(event_type, code, value, t)
        if frame is None:
            return _NONE
        to_pixels = self.transform.to_pixels
        points = [(c.id, *to_pixels(c.x, c.y)) for c in frame.contacts]
        return self.recognizer.feed(points, frame.t, frame.dropped)

    def tick(self, t: float) -> list[Gesture]:
        return self.recognizer.tick(t)

    def cancel(self, t: float) -> list[Gesture]:
        return self.recognizer.cancel(t)

    def resync(self, t: float) -> list[Gesture]:
        """After an event the pipeline could not take: forget the stream's state, as after
        SYN_DROPPED, and end the gesture in progress (a cancel, never a tap)."""
        self.decoder = Decoder(self._description)
        try:
            return self.recognizer.cancel(t)  # it then waits for every finger to lift
        except Exception:  # the recogniser itself is in a bad state: start it afresh
            self.recognizer = GestureRecognizer(*self._gesture_rules)
            return []

    @property
    def next_deadline(self) -> float | None:
        return self.recognizer.next_deadline


def replay(
    description: DeviceDescription,
    events: Iterable[tuple[float, int, int, int]],
    *,
    size: tuple[int, int],
    rotation: int = 0,
    matrix: Sequence[float] | None = None,
) -> list[Gesture]:
    """Every gesture (feedback kinds included) of a recorded event stream `(t, type, code,
    value)`. The recogniser checks the long-press timer at every frame, so a long press
    fires at the moment it would have live."""
    pipeline = TouchPipeline(description, size=size, rotation=rotation, matrix=matrix)
    gestures: list[Gesture] = []
    last = None
    for t, event_type, code, value in events:
        gestures += pipeline.feed(event_type, code, value, t)
        last = t
    if last is not None:
        # The recording ends like a device going away: a pending gesture ends there.
        gestures += pipeline.tick(last) + pipeline.cancel(last)
    return gestures
