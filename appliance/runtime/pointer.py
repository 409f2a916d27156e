"""`--input mouse`: the desktop mouse as a one-finger touch panel, for development.

SDL's button and motion events become contact frames fed to the same gesture recogniser
as the panel's, so a click is a tap and a held button a long press, exactly as on the
device. Positions go through the panel's own rotation transform, from the framebuffer's
orientation to the citizen's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from appliance.touch.gestures import GestureRecognizer
from appliance.touch.transform import Transform
from appliance.ui.rotation import framebuffer_size

MOUSE_CONTACT = 0


class PointerGestures:
    def __init__(
        self, size: tuple[int, int], rotation: int = 0, window: tuple[int, int] | None = None
    ):
        # Positions are read in the window's pixels: a window scaled down to fit a laptop
        # screen still maps each click onto the kiosk's own coordinates.
        self._panel = window or framebuffer_size(size, rotation)
        self._transform = Transform(size, rotation)
        self.recognizer = GestureRecognizer()
        self._held = False

    def next_deadline(self) -> float | None:
        return self.recognizer.next_deadline

    def feed(self, event: Any, now: float, deliver: Callable[[Any], None]) -> None:
        """Turn one SDL event (others are ignored) into gestures handed to `deliver`."""
        import pygame

        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self._held = True
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            self._held = False
            self._deliver(self.recognizer.feed((), now), deliver)
            return
        elif event.type != pygame.MOUSEMOTION or not self._held:
            return
        x, y = self._citizen_pixel(*event.pos)
        self._deliver(self.recognizer.feed(((MOUSE_CONTACT, x, y),), now), deliver)

    def tick(self, now: float, deliver: Callable[[Any], None]) -> None:
        self._deliver(self.recognizer.tick(now), deliver)

    def _citizen_pixel(self, px: int, py: int) -> tuple[int, int]:
        """Framebuffer pixel → the pixel of the frame the citizen sees, as a touch would be."""
        width, height = self._panel
        return self._transform.to_pixels(px / max(width - 1, 1), py / max(height - 1, 1))

    @staticmethod
    def _deliver(gestures: list, deliver: Callable[[Any], None]) -> None:
        for gesture in gestures:
            deliver(gesture)
