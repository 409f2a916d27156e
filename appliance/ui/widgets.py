"""Widgets: what the citizen sees and touches, and what the accessibility tree reads.

A widget is plain data (id, role, localised label, rect, enabled, state) plus the action
a tap runs; the screen builders make them, `render.py` draws them. Roles are those of
DESIGN.md: button, key, textbox, option, star, heading, text, image.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ("button", "key", "textbox", "option", "star", "heading", "text", "image")
# Layers: a widget of a higher layer is drawn after, and touched before, the others. A popup
# (the keyboard's accents) lies over the screen; while one is open a touch beside it only
# closes it.
BASE, POPUP = 0, 1


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def contains(self, x: float, y: float) -> bool:
        return self.x <= x < self.x + self.w and self.y <= y < self.y + self.h

    def as_list(self) -> list[int]:
        return [self.x, self.y, self.w, self.h]


@dataclass
class Widget:
    id: str
    role: str
    label: str
    rect: Rect
    enabled: bool = True
    state: dict[str, Any] | None = None
    action: Callable[[], None] | None = None
    # A long press runs this instead of `action` (keys with accents); None = same as a tap,
    # so people who hold their finger down still get what they touched.
    long_action: Callable[[], None] | None = None
    # Drawing only: how the widget looks, not what it is.
    style: str = ""
    font_size: int = 0
    lines: tuple[str, ...] = ()  # label wrapped to the rect, computed by the layout
    hint_lines: tuple[str, ...] = ()
    icon: str = ""
    layer: int = BASE
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def interactive(self) -> bool:
        return self.action is not None or self.long_action is not None

    def describe(self) -> dict[str, Any]:
        """This widget's entry in the accessibility tree."""
        entry: dict[str, Any] = {
            "id": self.id,
            "role": self.role,
            "label": self.label,
            "rect": self.rect.as_list(),
            "enabled": self.enabled,
        }
        if self.state is not None:
            entry["state"] = dict(self.state)
        return entry


def hit(widgets: list[Widget], x: float, y: float) -> Widget | None:
    """The topmost interactive widget under (x, y); later widgets are drawn on top."""
    for widget in reversed(widgets):
        if widget.interactive and widget.rect.contains(x, y):
            return widget
    return None
