"""Redrawing only what changed since the last frame.

The surface handed to `render()` still holds the previous frame (a display surface or
the runtime's off-screen frame), so a touch that only presses a key or adds a letter
repaints those widgets, not 2 million pixels. Anything less simple (widgets added,
moved or lying over one another, another theme, another surface) is a full redraw.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import pygame

from appliance.ui.render import draw_frame, draw_widget
from appliance.ui.theme import Theme, theme_for
from appliance.ui.widgets import BASE, Rect, Widget


@dataclass
class FrameMemory:
    surface: weakref.ref
    size: tuple[int, int]
    theme: Theme
    order: tuple[str, ...]
    looks: dict[str, tuple]


def look(widget: Widget, pressed: bool) -> tuple:
    """Everything that decides how `widget` is drawn."""
    w = widget
    return (
        w.style,
        w.rect,
        w.label,
        w.lines,
        w.hint_lines,
        w.enabled,
        repr(w.state),
        w.icon,
        w.font_size,
        w.layer,
        pressed,
        repr(sorted(w.extra.items())),
    )


def paint(
    surface: pygame.Surface,
    widgets: list[Widget],
    memory: FrameMemory | None,
    *,
    high_contrast: bool,
    pressed: str | None,
) -> tuple[FrameMemory, list[pygame.Rect] | None]:
    """Bring `surface` up to date with `widgets` (the one with id `pressed` looks pressed);
    returns the new memory and the rectangles repainted (None when the whole surface was)."""
    theme = theme_for(high_contrast)
    looks = {w.id: look(w, w.id == pressed) for w in widgets}
    order = tuple(w.id for w in widgets)
    fresh = FrameMemory(weakref.ref(surface), surface.get_size(), theme, order, looks)
    changed = _changed(surface, widgets, looks, order, theme, memory)
    if changed is None:
        draw_frame(surface, widgets, high_contrast=high_contrast, pressed=pressed)
        return fresh, None
    damage = []
    for widget in changed:
        area = pygame.Rect(*widget.rect.as_list())
        surface.fill(theme.bar if widget.style == "bar" else theme.background, area)
        draw_widget(surface, widget, theme, pressed=widget.id == pressed)
        damage.append(area)
    return fresh, damage


def _changed(surface, widgets, looks, order, theme, memory) -> list[Widget] | None:
    """The widgets to repaint, or None when only a full redraw is safe."""
    if (
        memory is None
        or memory.surface() is not surface
        or memory.size != surface.get_size()
        or memory.theme != theme
        or memory.order != order
    ):
        return None
    changed = [w for w in widgets if memory.looks[w.id] != looks[w.id]]
    for widget in changed:
        if memory.looks[widget.id][1] != widget.rect:
            return None  # it moved: what was under its old place is unknown here
        if (
            widget.layer > BASE
            or widget.style in ("warning", "panel")
            or any(_overlap(widget.rect, other.rect) for other in widgets if other is not widget)
        ):
            return None
    return changed


def _overlap(a: Rect, b: Rect) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom
