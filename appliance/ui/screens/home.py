"""The attract screen (nobody there) and the home screen's four tiles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from appliance.ui import fonts
from appliance.ui.layout import Builder, fit_lines
from appliance.ui.screens.parts import NOWHERE, button
from appliance.ui.textruns import glyph_size, tile_padding
from appliance.ui.widgets import Rect, Widget

if TYPE_CHECKING:
    from appliance.ui.context import ScreenContext

TILES = (
    ("tile-ideas", "home.ideas", "home.ideas.hint", "✎", "ideas"),
    ("tile-rating", "home.rating", "home.rating.hint", "★", "rating"),
    ("tile-consultation", "home.consultation", "home.consultation.hint", "☑", "consultation"),
    ("tile-sites", "home.sites", "home.sites.hint", "➜", "sites"),
)


def build_attract(app: ScreenContext, b: Builder) -> None:
    m = b.m
    b.text("site", app.site_name, m.heading, style="muted")
    b.heading("title", app.t("attract.title"), round(m.title * 1.2))
    b.text("body", app.t("attract.body"), m.heading)
    start = Widget(
        "start",
        "button",
        app.t("attract.start"),
        NOWHERE,
        action=lambda: app.go("home"),
        style="hero",
        font_size=m.title,
        icon="☛",
    )
    height = max(2 * m.target, min(b.remaining, round(m.height * 0.3)))
    start.rect = Rect(b.area.x, b.bottom - height, b.area.w, height)
    start.font_size, start.lines = hero_fit(
        start.label, start.icon, m.title, b.area.w - 4 * m.gap, height - 2 * m.gap
    )
    b.squeezed |= start.font_size < m.heading
    b.bottom = start.rect.y - m.gap
    icons_h = min(b.remaining - m.gap, round(m.title * 2.5))
    if icons_h > m.title:
        b.add(
            Widget(
                "emblem",
                "image",
                app.t("attract.body"),
                Rect(b.area.x, b.y + (b.remaining - icons_h) // 2, b.area.w, icons_h),
                style="emblem",
                font_size=icons_h * 2 // 3,
                lines=tuple(icon for _, _, _, icon, _ in TILES),
            )
        )
    b.add(start)


def hero_fit(label: str, icon: str, size: int, width: int, height: int):
    """(size, lines) of the start button's words under its icon (drawn twice as large,
    see `textruns.button_runs`), the largest that stands in `width` × `height`."""
    while True:
        size, lines = fit_lines(label, size, width, height, True)
        block = glyph_size(icon, 2 * size, False, True)[1]
        block += len(lines) * fonts.line_height(size, True)
        if block <= height or size <= fonts.SMALLEST:
            return size, lines
        size -= 1


def tile_fit(label: str, hint: str, size: int, hint_size: int, width: int, height: int):
    """(size, lines, hint size, hint lines) of a tile's title and hint: the largest that
    stand in `width` × `height`, the hint shrinking with the title so it stays the
    smaller of the two."""
    while True:
        size = fonts.fitting_size(label, size, width, True)
        lines = fonts.wrap(label, size, width, True)
        hint_size = fonts.fitting_size(hint, min(hint_size, size), width)
        hint_lines = fonts.wrap(hint, hint_size, width)
        block = len(lines) * fonts.line_height(size, True)
        block += len(hint_lines) * fonts.line_height(hint_size)
        if block <= height or size <= fonts.SMALLEST:
            return size, lines, hint_size, hint_lines
        size -= 1
        hint_size = max(fonts.SMALLEST, min(hint_size, size * 3 // 4))


def build_home(app: ScreenContext, b: Builder) -> None:
    m = b.m
    b.heading("title", f"{app.t('home.welcome')} – {app.site_name}", m.title)
    footer = [button("privacy", app.t("home.privacy"), lambda: app.go("privacy"))]
    if app.content.get("answers"):  # what the town hall made of citizens' ideas
        footer.insert(0, button("answers", app.t("home.answers"), lambda: app.go("answers")))
    b.footer(footer)
    cols = 2 if m.landscape else 1
    rows = (len(TILES) + cols - 1) // cols
    tile_w = (b.area.w - (cols - 1) * m.gap) // cols
    tile_h = max(2 * m.target, min((b.remaining - (rows - 1) * m.gap) // rows, 6 * m.target))
    icon_size = min(round(m.title * 1.6), tile_h * 2 // 3)
    for index, (wid, key, hint, icon, screen) in enumerate(TILES):
        row, col = divmod(index, cols)
        rect = Rect(b.area.x + col * (tile_w + m.gap), b.y + row * (tile_h + m.gap), tile_w, tile_h)
        # Portrait tiles put the icon beside the words, landscape tiles above them (or
        # drop it when the words need the room, see `textruns.tile_runs`).
        pad = tile_padding(rect)
        text_w = tile_w - 2 * pad - (0 if cols == 2 else icon_size + pad)
        size, lines, hint_size, hint_lines = tile_fit(
            app.t(key), app.t(hint), m.title if cols == 1 else m.heading, m.body, text_w,
            tile_h - 2 * pad,
        )  # fmt: skip
        b.squeezed |= size < m.heading or hint_size < m.small
        b.add(
            Widget(
                wid,
                "button",
                f"{app.t(key)} – {app.t(hint)}",  # read out whole, as it is seen
                rect,
                action=lambda s=screen: app.go(s),
                style="tile",
                font_size=size,
                icon=icon,
                lines=lines,
                hint_lines=hint_lines,
                extra={"icon_size": icon_size, "hint_size": hint_size, "icon_beside": cols == 1},
            )
        )
    b.y += rows * (tile_h + m.gap)
