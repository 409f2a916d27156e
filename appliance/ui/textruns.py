"""Where each piece of a widget's text lands: one `Run` per line or glyph, with its box and
colour.

The renderer blits exactly these runs, and the fit check (`ui/fit.py`) checks exactly
these boxes against the widget and the screen, so what is checked is what is drawn.
Placement needs font metrics only, never a surface.
"""

from __future__ import annotations

from dataclasses import dataclass

from appliance.ui import fonts
from appliance.ui.layout import QUOTE_INDENT, option_indent
from appliance.ui.theme import Colour, Theme
from appliance.ui.widgets import Rect, Widget

# Styles drawn as plain text: bold ones, and the centred ones.
BOLD_TEXT = ("heading", "strong", "strong-center", "warning")
QUOTE_BAR = 8  # the quote's left bar


@dataclass(frozen=True)
class Run:
    text: str
    size: int
    bold: bool
    symbol: bool
    x: int
    y: int
    w: int
    h: int
    colour: Colour

    @property
    def rect(self) -> Rect:
        return Rect(self.x, self.y, self.w, self.h)


def glyph_size(text: str, size: int, bold: bool = False, symbol: bool = False) -> tuple[int, int]:
    return fonts.font(size, bold, symbol).size(text)


def lines_runs(
    lines: tuple[str, ...],
    size: int,
    colour: Colour,
    bold: bool,
    area: Rect,
    align: str = "left",
    valign: str = "top",
) -> list[Run]:
    height = fonts.line_height(size, bold)
    y = area.y
    if valign == "center":
        y = area.y + (area.h - height * len(lines)) // 2
    runs = []
    for line in lines:
        width = fonts.text_width(line, size, bold)
        x = area.x + (area.w - width) // 2 if align == "center" else area.x
        runs.append(Run(line, size, bold, False, x, y, width, height, colour))
        y += height
    return runs


def glyph_run(text: str, size: int, colour: Colour, bold: bool, centre: tuple[int, int]) -> Run:
    """A symbol (icon, number) centred on `centre`."""
    w, h = glyph_size(text, size, bold, True)
    return Run(text, size, bold, True, centre[0] - w // 2, centre[1] - h // 2, w, h, colour)


def colours(w: Widget, theme: Theme, pressed: bool, filled: bool) -> tuple[Colour, Colour, Colour]:
    """(background, foreground, border) of a touchable widget in its state."""
    state = w.state or {}
    if not w.enabled:
        return theme.disabled, theme.on_disabled, theme.on_disabled
    if pressed:
        return theme.pressed, theme.on_primary, theme.pressed
    if filled or state.get("selected") or state.get("checked"):
        return theme.selected, theme.on_selected, theme.selected
    return theme.surface, theme.text, theme.border


def _center(r: Rect) -> tuple[int, int]:
    return r.x + r.w // 2, r.y + r.h // 2


def text_runs(w: Widget, theme: Theme) -> list[Run]:
    style = w.style
    area = w.rect
    if style == "warning":
        inset = max(8, area.h // 4)
        inner = Rect(area.x + inset, area.y, area.w - 2 * inset, area.h)
        return lines_runs(w.lines, w.font_size, theme.on_warning, True, inner, "center", "center")
    if style in ("icon", "icon-danger"):
        colour = theme.danger if style == "icon-danger" else theme.primary
        return [glyph_run(w.label, w.font_size, colour, True, _center(area))]
    colour = theme.muted if style == "muted" else theme.text
    align = "center" if style == "strong-center" else w.extra.get("align", "left")
    if style == "quote":
        area = Rect(area.x + QUOTE_INDENT, area.y, area.w - 2 * QUOTE_INDENT, area.h)
    return lines_runs(w.lines, w.font_size, colour, style in BOLD_TEXT, area, align)


def button_runs(w: Widget, theme: Theme, pressed: bool) -> list[Run]:
    filled = w.style in ("primary", "tile", "hero")
    _, fg, _ = colours(w, theme, pressed, filled)
    area = w.rect
    if w.style == "tile":
        return tile_runs(w, fg)
    if w.style == "hero" and w.icon:
        icon_w, icon_h = glyph_size(w.icon, w.font_size * 2, False, True)
        block = icon_h + fonts.line_height(w.font_size, True) * len(w.lines)
        y = area.y + (area.h - block) // 2
        icon = Run(
            w.icon, w.font_size * 2, False, True, area.x + (area.w - icon_w) // 2, y, icon_w,
            icon_h, fg,
        )  # fmt: skip
        inner = Rect(area.x, y + icon_h, area.w, area.h)
        return [icon, *lines_runs(w.lines, w.font_size, fg, True, inner, "center")]
    return lines_runs(w.lines, w.font_size, fg, True, area, "center", "center")


def tile_padding(area: Rect) -> int:
    return max(16, min(area.w // 14, 40))


def tile_runs(w: Widget, fg: Colour) -> list[Run]:
    """A home tile: icon beside (portrait) or above (landscape) the title and its hint; a
    tile too short for the icon above its words drops the icon."""
    area = w.rect
    pad = tile_padding(area)
    icon_size = w.extra["icon_size"]
    icon_w, icon_h = glyph_size(w.icon, icon_size, False, True)
    label_h = fonts.line_height(w.font_size, True) * len(w.lines)
    hint_size = w.extra["hint_size"]
    hint_h = fonts.line_height(hint_size) * len(w.hint_lines)
    runs = []
    x = area.x + pad
    above = True
    if w.extra.get("icon_beside"):
        y = area.y + area.h // 2 - icon_h // 2
        runs.append(Run(w.icon, icon_size, False, True, x, y, icon_w, icon_h, fg))
        x += icon_size + pad
        above = False
    block = label_h + hint_h + (icon_h if above else 0)
    if above and block > area.h - pad:  # short tile: the icon gives way to the words
        above = False
        block = label_h + hint_h
    y = area.y + (area.h - block) // 2
    if above:
        runs.append(Run(w.icon, icon_size, False, True, x, y, icon_w, icon_h, fg))
        y += icon_h
    width = area.right - x - pad
    runs += lines_runs(w.lines, w.font_size, fg, True, Rect(x, y, width, label_h))
    runs += lines_runs(w.hint_lines, hint_size, fg, False, Rect(x, y + label_h, width, hint_h))
    return runs


def bar_colours(w: Widget, theme: Theme, pressed: bool) -> tuple[Colour, Colour]:
    """(background, foreground) of a toolbar button: filled when its option is on."""
    if pressed:
        bg, fg = theme.pressed, theme.on_primary
    elif (w.state or {}).get("checked"):
        bg, fg = theme.on_bar, theme.bar
    else:
        bg, fg = theme.bar, theme.on_bar
    return bg, (fg if w.enabled else theme.on_bar_disabled)


def bar_runs(w: Widget, theme: Theme, pressed: bool) -> list[Run]:
    area = w.rect
    _, fg = bar_colours(w, theme, pressed)
    icon_size = w.extra["icon_size"]
    icon_w, icon_h = glyph_size(w.icon, icon_size, True, True)
    caption_h = fonts.line_height(w.font_size, True) * len(w.lines)
    y = area.y + (area.h - icon_h - caption_h) // 2
    icon = Run(
        w.icon, icon_size, True, True, area.x + (area.w - icon_w) // 2, y, icon_w, icon_h, fg
    )
    inner = Rect(area.x, y + icon_h, area.w, caption_h)
    return [icon, *lines_runs(w.lines, w.font_size, fg, True, inner, "center")]


def option_runs(w: Widget, theme: Theme, pressed: bool) -> list[Run]:
    _, fg, _ = colours(w, theme, pressed, False)
    area = w.rect
    pad = (area.h - fonts.line_height(w.font_size) * len(w.lines)) // 2
    pad_x = w.extra.get("pad", 24)
    text_x = area.x + pad_x + option_indent(w.font_size)
    inner = Rect(text_x, area.y + pad, area.right - text_x - pad_x, area.h)
    return lines_runs(w.lines, w.font_size, fg, False, inner)


def card_runs(w: Widget, theme: Theme) -> list[Run]:
    """A card of text (an answered idea): its lines inside the padding of `choice_rows`."""
    pad = w.extra.get("pad", 24)
    area = w.rect
    inner = Rect(area.x + pad, area.y + pad, area.w - 2 * pad, area.h - 2 * pad)
    return lines_runs(w.lines, w.font_size, theme.text, False, inner)


def key_runs(w: Widget, theme: Theme, pressed: bool) -> list[Run]:
    _, fg, _ = colours(w, theme, pressed, False)
    text = w.lines[0] if w.lines else w.label
    symbol = text in ("⇧", "⌫", "✕")
    size = w.font_size
    if fonts.text_width(text, size) >= w.rect.w - 8:
        size = size * 3 // 4  # "espace", "OK": a word on a key a letter wide
    tw, th = glyph_size(text, size, not symbol, symbol)
    cx, cy = _center(w.rect)
    return [Run(text, size, not symbol, symbol, cx - tw // 2, cy - th // 2, tw, th, fg)]


def emblem_runs(w: Widget, theme: Theme) -> list[Run]:
    area = w.rect
    step = area.w // max(1, len(w.lines))
    middle = area.y + area.h // 2
    return [
        glyph_run(icon, w.font_size, theme.primary, False, (area.x + step * i + step // 2, middle))
        for i, icon in enumerate(w.lines)
    ]


def textbox_padding(w: Widget) -> int:
    return w.extra.get("pad", 16)


def textbox_runs(w: Widget, theme: Theme) -> list[Run]:
    pad = textbox_padding(w)
    area = w.rect
    inner = Rect(area.x + pad, area.y + pad, area.w - 2 * pad, area.h - 2 * pad)
    return lines_runs(w.lines, w.font_size, theme.text, False, inner)


def runs_of(w: Widget, theme: Theme, pressed: bool = False) -> list[Run]:
    """Every piece of text `w` draws, in `theme`, pressed or not."""
    style = w.style
    if style in ("primary", "secondary", "tile", "hero", "site"):
        return button_runs(w, theme, pressed)
    if style == "bar":
        return bar_runs(w, theme, pressed)
    if style == "option":
        return option_runs(w, theme, pressed)
    if style in ("key", "key-accent"):
        return key_runs(w, theme, pressed)
    if style == "emblem":
        return emblem_runs(w, theme)
    if style == "card":
        return card_runs(w, theme)
    if style == "textbox":
        return textbox_runs(w, theme)
    if style in ("popup", "panel", "star", "crosshair"):
        return []
    return text_runs(w, theme)
