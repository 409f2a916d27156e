"""Drawing a frame: the background, then each widget as its style says.

Only drawing happens here; layout and text wrapping were done when the widgets were
built, and text surfaces come from the fonts cache, so a frame costs a few blits.
"""

from __future__ import annotations

import math

import pygame

from appliance.ui import fonts
from appliance.ui.layout import option_indent, option_radius
from appliance.ui.theme import Theme, theme_for
from appliance.ui.widgets import Widget


def draw_frame(
    surface: pygame.Surface, widgets: list[Widget], *, high_contrast: bool, pressed: str | None
) -> None:
    """The whole frame: background, the toolbar's band, every widget in order."""
    theme = theme_for(high_contrast)
    surface.fill(theme.background)
    bar = [w for w in widgets if w.style == "bar"]
    if bar:
        top = min(w.rect.y for w in bar) - (bar[0].rect.x // 2 or 8)
        surface.fill(theme.bar, pygame.Rect(0, top, surface.get_width(), surface.get_height()))
        if high_contrast:
            pygame.draw.line(surface, theme.border, (0, top), (surface.get_width(), top), 3)
    for widget in widgets:
        draw_widget(surface, widget, theme, pressed=widget.id == pressed)


def _rect(widget: Widget) -> pygame.Rect:
    r = widget.rect
    return pygame.Rect(r.x, r.y, r.w, r.h)


def draw_lines(
    surface: pygame.Surface,
    lines: tuple[str, ...],
    size: int,
    colour,
    bold: bool,
    area: pygame.Rect,
    align: str = "left",
    valign: str = "top",
) -> None:
    height = fonts.line_height(size, bold)
    y = area.y
    if valign == "center":
        y = area.y + (area.h - height * len(lines)) // 2
    for line in lines:
        text = fonts.text_surface(line, size, colour, bold)
        x = area.x
        if align == "center":
            x = area.x + (area.w - text.get_width()) // 2
        surface.blit(text, (x, y))
        y += height


def draw_widget(surface: pygame.Surface, w: Widget, theme: Theme, pressed: bool = False) -> None:
    draw = _STYLES.get(w.style, _draw_text)
    draw(surface, w, theme, pressed)


def _colours(w: Widget, theme: Theme, pressed: bool, filled: bool):
    """(background, foreground, border) of a touchable widget in its state."""
    state = w.state or {}
    if not w.enabled:
        return theme.disabled, theme.on_disabled, theme.on_disabled
    if pressed:
        return theme.pressed, theme.on_primary, theme.pressed
    if filled or state.get("selected") or state.get("checked"):
        return theme.selected, theme.on_selected, theme.selected
    return theme.surface, theme.text, theme.border


def _draw_text(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    style = w.style
    bold = style in ("heading", "strong", "strong-center", "warning")
    colour = theme.muted if style == "muted" else theme.text
    area = _rect(w)
    align = w.extra.get("align", "left")
    if style in ("strong-center", "icon", "icon-danger"):
        align = "center"
    if style == "warning":
        surface.fill(theme.warning, area)
        colour = theme.on_warning
        area = area.inflate(-2 * max(8, area.h // 4), 0)
        draw_lines(surface, w.lines, w.font_size, colour, True, area, "center", "center")
        return
    if style == "quote":
        pygame.draw.rect(surface, theme.primary, (area.x, area.y, 8, area.h))
    if style in ("icon", "icon-danger"):
        colour = theme.danger if style == "icon-danger" else theme.primary
        text = fonts.text_surface(w.label, w.font_size, colour, True, symbol=True)
        surface.blit(text, text.get_rect(center=area.center))
        return
    if style == "quote":
        area = area.inflate(-40, 0).move(20, 0)
    draw_lines(surface, w.lines, w.font_size, colour, bold, area, align)


def _draw_button(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    filled = w.style in ("primary", "tile", "hero")
    bg, fg, border = _colours(w, theme, pressed, filled)
    area = _rect(w)
    radius = max(8, min(area.h, area.w) // 8)
    pygame.draw.rect(surface, bg, area, border_radius=radius)
    if not filled or theme.background == (0, 0, 0):
        pygame.draw.rect(surface, border, area, width=4, border_radius=radius)
    if w.style == "tile":
        _draw_tile(surface, w, theme, fg, area)
        return
    if w.style == "hero" and w.icon:
        icon = fonts.text_surface(w.icon, w.font_size * 2, fg, False, symbol=True)
        block = icon.get_height() + fonts.line_height(w.font_size, True) * len(w.lines)
        y = area.y + (area.h - block) // 2
        surface.blit(icon, (area.x + (area.w - icon.get_width()) // 2, y))
        inner = pygame.Rect(area.x, y + icon.get_height(), area.w, area.h)
        draw_lines(surface, w.lines, w.font_size, fg, True, inner, "center")
        return
    draw_lines(surface, w.lines, w.font_size, fg, True, area, "center", "center")


def _draw_tile(surface, w: Widget, theme: Theme, fg, area: pygame.Rect) -> None:
    pad = max(16, min(area.w // 14, 40))
    icon = fonts.text_surface(w.icon, w.extra["icon_size"], fg, False, symbol=True)
    label_h = fonts.line_height(w.font_size, True) * len(w.lines)
    hint_size = w.extra["hint_size"]
    hint_h = fonts.line_height(hint_size) * len(w.hint_lines)
    x = area.x + pad
    if w.extra.get("icon_beside"):
        surface.blit(icon, (x, area.centery - icon.get_height() // 2))
        x += w.extra["icon_size"] + pad
        icon = None
    block = label_h + hint_h + (icon.get_height() if icon else 0)
    if block > area.h - pad:  # short tile: the icon gives way to the words
        icon = None
        block = label_h + hint_h
    y = area.y + (area.h - block) // 2
    if icon is not None:
        surface.blit(icon, (x, y))
        y += icon.get_height()
    inner = pygame.Rect(x, y, area.right - x - pad, label_h)
    draw_lines(surface, w.lines, w.font_size, fg, True, inner)
    inner = pygame.Rect(x, y + label_h, area.right - x - pad, hint_h)
    draw_lines(surface, w.hint_lines, hint_size, fg, False, inner)


def _draw_emblem(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    area = _rect(w)
    step = area.w // len(w.lines)
    for index, icon in enumerate(w.lines):
        glyph = fonts.text_surface(icon, w.font_size, theme.primary, False, symbol=True)
        centre = (area.x + step * index + step // 2, area.centery)
        pygame.draw.circle(surface, theme.surface, centre, min(step, area.h) // 2 - 4)
        pygame.draw.circle(surface, theme.primary, centre, min(step, area.h) // 2 - 4, width=4)
        surface.blit(glyph, glyph.get_rect(center=centre))


def _draw_bar_button(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    area = _rect(w)
    state = w.state or {}
    on = bool(state.get("checked"))
    if pressed:
        bg, fg = theme.pressed, theme.on_primary
    elif on:
        bg, fg = theme.on_bar, theme.bar
    else:
        bg, fg = theme.bar, theme.on_bar
    if not w.enabled:
        fg = theme.on_disabled
    pygame.draw.rect(surface, bg, area, border_radius=10)
    pygame.draw.rect(
        surface, theme.on_bar if w.enabled else theme.on_disabled, area, width=3, border_radius=10
    )
    icon_size = w.extra["icon_size"]
    icon = fonts.text_surface(w.icon, icon_size, fg, True, symbol=True)
    caption_h = fonts.line_height(w.font_size, True) * len(w.lines)
    y = area.y + (area.h - icon.get_height() - caption_h) // 2
    surface.blit(icon, (area.x + (area.w - icon.get_width()) // 2, y))
    inner = pygame.Rect(area.x, y + icon.get_height(), area.w, caption_h)
    draw_lines(surface, w.lines, w.font_size, fg, True, inner, "center")


def _draw_option(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    bg, fg, border = _colours(w, theme, pressed, False)
    area = _rect(w)
    pygame.draw.rect(surface, bg, area, border_radius=12)
    pygame.draw.rect(surface, border, area, width=3, border_radius=12)
    pad = (w.rect.h - fonts.line_height(w.font_size) * len(w.lines)) // 2
    pad_x = w.extra.get("pad", 24)
    radius = option_radius(w.font_size)
    centre = (area.x + pad_x + radius, area.centery)
    pygame.draw.circle(surface, fg, centre, radius, width=4)
    if (w.state or {}).get("selected"):
        pygame.draw.circle(surface, fg, centre, radius // 2)
    text_x = area.x + pad_x + option_indent(w.font_size)
    inner = pygame.Rect(text_x, area.y + pad, area.right - text_x - pad_x, area.h)
    draw_lines(surface, w.lines, w.font_size, fg, False, inner)


def _draw_key(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    bg, fg, border = _colours(w, theme, pressed, False)
    area = _rect(w)
    pygame.draw.rect(surface, bg, area, border_radius=10)
    pygame.draw.rect(surface, border, area, width=2, border_radius=10)
    text = w.lines[0] if w.lines else w.label
    symbol = text in ("⇧", "⌫", "✕")
    size = w.font_size if fonts.text_width(text, w.font_size) < area.w - 8 else w.font_size * 3 // 4
    glyph = fonts.text_surface(text, size, fg, not symbol, symbol=symbol)
    surface.blit(glyph, glyph.get_rect(center=area.center))


def _draw_popup(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    area = _rect(w)
    pygame.draw.rect(surface, theme.text, area.move(6, 6), border_radius=14)
    pygame.draw.rect(surface, theme.background, area, border_radius=14)
    pygame.draw.rect(surface, theme.primary, area, width=4, border_radius=14)


def _draw_panel(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    area = _rect(w)
    pygame.draw.rect(surface, theme.surface, area, border_radius=20)
    pygame.draw.rect(surface, theme.primary, area, width=6, border_radius=20)


def _draw_star(surface, w: Widget, theme: Theme, pressed: bool) -> None:
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


def _draw_textbox(surface, w: Widget, theme: Theme, pressed: bool) -> None:
    area = _rect(w)
    pygame.draw.rect(surface, theme.surface, area, border_radius=8)
    pygame.draw.rect(surface, theme.primary, area, width=4, border_radius=8)
    draw_lines(surface, w.lines, w.font_size, theme.text, False, area.inflate(-32, -24))


_STYLES = {
    "primary": _draw_button,
    "secondary": _draw_button,
    "tile": _draw_button,
    "hero": _draw_button,
    "site": _draw_button,
    "bar": _draw_bar_button,
    "option": _draw_option,
    "key": _draw_key,
    "key-accent": _draw_key,
    "popup": _draw_popup,
    "panel": _draw_panel,
    "star": _draw_star,
    "emblem": _draw_emblem,
    "textbox": _draw_textbox,
}
