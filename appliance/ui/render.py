"""Drawing a frame: the background, then each widget as its style says.

Only drawing happens here; layout and text wrapping were done when the widgets were
built, where each line goes is `textruns.py`'s, and text surfaces come from the fonts
cache, so a frame costs a few blits.
"""

from __future__ import annotations

import math

import pygame

from appliance.ui import fonts
from appliance.ui.layout import option_radius
from appliance.ui.textruns import (
    QUOTE_BAR,
    Run,
    bar_colours,
    colours,
    runs_of,
    tile_padding,
)
from appliance.ui.theme import Theme, theme_for
from appliance.ui.widgets import Widget


def draw_frame(
    surface: pygame.Surface,
    widgets: list[Widget],
    *,
    high_contrast: bool,
    pressed: str | None,
    text: bool = True,
) -> None:
    """The whole frame: background, the toolbar's band, every widget in order (without
    their text if not `text`: what the fit check compares text colours with)."""
    theme = theme_for(high_contrast)
    surface.fill(theme.background)
    top = bar_top(widgets)
    if top is not None:
        surface.fill(theme.bar, pygame.Rect(0, top, surface.get_width(), surface.get_height()))
        if high_contrast:
            pygame.draw.line(surface, theme.border, (0, top), (surface.get_width(), top), 3)
    for widget in widgets:
        draw_widget(surface, widget, theme, pressed=widget.id == pressed, text=text)


def bar_top(widgets: list[Widget]) -> int | None:
    """Where the toolbar's band starts (None: no toolbar on this frame)."""
    bar = [w for w in widgets if w.style == "bar"]
    if not bar:
        return None
    return min(w.rect.y for w in bar) - (bar[0].rect.x // 2 or 8)


def _rect(widget: Widget) -> pygame.Rect:
    r = widget.rect
    return pygame.Rect(r.x, r.y, r.w, r.h)


def blit_runs(surface: pygame.Surface, runs: list[Run]) -> None:
    for run in runs:
        text = fonts.text_surface(run.text, run.size, run.colour, run.bold, run.symbol)
        surface.blit(text, (run.x, run.y))


def draw_widget(
    surface: pygame.Surface, w: Widget, theme: Theme, pressed: bool = False, text: bool = True
) -> None:
    """The widget's shapes as its style says, then its text where `textruns` puts it."""
    shapes = _SHAPES.get(w.style)
    if shapes is not None:
        shapes(surface, w, theme, pressed)
    if text:
        blit_runs(surface, runs_of(w, theme, pressed))


def _text_shapes(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    if w.style == "warning":
        surface.fill(theme.warning, _rect(w))
    elif w.style == "quote":
        pygame.draw.rect(surface, theme.primary, (w.rect.x, w.rect.y, QUOTE_BAR, w.rect.h))


def _button_shapes(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    filled = w.style in ("primary", "tile", "hero")
    bg, _, border = colours(w, theme, pressed, filled)
    area = _rect(w)
    radius = max(8, min(area.h, area.w) // 8)
    if w.style == "tile":
        radius = min(radius, tile_padding(w.rect))
    pygame.draw.rect(surface, bg, area, border_radius=radius)
    if not filled or theme.background == (0, 0, 0):
        pygame.draw.rect(surface, border, area, width=4, border_radius=radius)


def _emblem_shapes(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    area = _rect(w)
    step = area.w // max(1, len(w.lines))
    for index in range(len(w.lines)):
        centre = (area.x + step * index + step // 2, area.centery)
        pygame.draw.circle(surface, theme.surface, centre, min(step, area.h) // 2 - 4)
        pygame.draw.circle(surface, theme.primary, centre, min(step, area.h) // 2 - 4, width=4)


def _crosshair_shapes(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    """A calibration target: thin, so the finger's aim is the centre, not a blob."""
    area = _rect(w)
    centre, radius = area.center, min(area.w, area.h) // 2
    pygame.draw.circle(surface, theme.primary, centre, radius // 2, width=3)
    pygame.draw.line(surface, theme.primary, (area.x, area.centery), (area.right, area.centery), 3)
    pygame.draw.line(surface, theme.primary, (area.centerx, area.y), (area.centerx, area.bottom), 3)


def _bar_shapes(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    area = _rect(w)
    bg, _ = bar_colours(w, theme, pressed)
    pygame.draw.rect(surface, bg, area, border_radius=10)
    pygame.draw.rect(
        surface,
        theme.on_bar if w.enabled else theme.on_bar_disabled,
        area,
        width=3,
        border_radius=10,
    )


def _option_shapes(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    bg, fg, border = colours(w, theme, pressed, False)
    area = _rect(w)
    pygame.draw.rect(surface, bg, area, border_radius=12)
    pygame.draw.rect(surface, border, area, width=3, border_radius=12)
    radius = option_radius(w.font_size)
    centre = (area.x + w.extra.get("pad", 24) + radius, area.centery)
    pygame.draw.circle(surface, fg, centre, radius, width=4)
    if (w.state or {}).get("selected"):
        pygame.draw.circle(surface, fg, centre, radius // 2)


def _key_shapes(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    bg, _, border = colours(w, theme, pressed, False)
    area = _rect(w)
    pygame.draw.rect(surface, bg, area, border_radius=10)
    pygame.draw.rect(surface, border, area, width=2, border_radius=10)


def _popup_shapes(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    area = _rect(w)
    pygame.draw.rect(surface, theme.text, area.move(6, 6), border_radius=14)
    pygame.draw.rect(surface, theme.background, area, border_radius=14)
    pygame.draw.rect(surface, theme.primary, area, width=4, border_radius=14)


def _card_shapes(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    area = _rect(w)
    pygame.draw.rect(surface, theme.surface, area, border_radius=12)
    pygame.draw.rect(surface, theme.border, area, width=2, border_radius=12)


def _panel_shapes(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    area = _rect(w)
    pygame.draw.rect(surface, theme.surface, area, border_radius=20)
    pygame.draw.rect(surface, theme.primary, area, width=6, border_radius=20)


def _star_shapes(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    area = _rect(w)
    cx, cy = area.center
    outer = area.w * 0.48
    inner = outer * 0.45
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * (0.1 + math.sin(angle))))
    checked = (w.state or {}).get("checked")
    colour = theme.pressed if pressed else theme.accent
    if checked or pressed:
        pygame.draw.polygon(surface, colour, points)
    pygame.draw.polygon(surface, theme.text if not checked else colour, points, width=4)


def _textbox_shapes(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    area = _rect(w)
    pygame.draw.rect(surface, theme.surface, area, border_radius=8)
    pygame.draw.rect(surface, theme.primary, area, width=4, border_radius=8)


_SHAPES = {
    "primary": _button_shapes,
    "secondary": _button_shapes,
    "tile": _button_shapes,
    "hero": _button_shapes,
    "site": _button_shapes,
    "bar": _bar_shapes,
    "option": _option_shapes,
    "key": _key_shapes,
    "key-accent": _key_shapes,
    "popup": _popup_shapes,
    "panel": _panel_shapes,
    "card": _card_shapes,
    "star": _star_shapes,
    "emblem": _emblem_shapes,
    "crosshair": _crosshair_shapes,
    "textbox": _textbox_shapes,
    "warning": _text_shapes,
    "quote": _text_shapes,
}
