"""The attract screen (nobody there) and the home screen's four tiles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from appliance.ui import fonts
from appliance.ui.layout import Builder
from appliance.ui.screens.parts import NOWHERE, button
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
    start.lines = fonts.wrap(start.label, m.title, b.area.w - 4 * m.gap, True)
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


def fitting_size(words: str, size: int, width: int) -> int:
    """The largest size up to `size` at which no single word of `words` is cut."""
    longest = max(words.split(), key=len, default="")
    while size > 16 and fonts.text_width(longest, size, True) > width:
        size -= 2
    return size


def build_home(app: ScreenContext, b: Builder) -> None:
    m = b.m
    b.heading("title", f"{app.t('home.welcome')} – {app.site_name}", m.title)
    b.footer([button("privacy", app.t("home.privacy"), lambda: app.go("privacy"))])
    cols = 2 if m.landscape else 1
    rows = (len(TILES) + cols - 1) // cols
    tile_w = (b.area.w - (cols - 1) * m.gap) // cols
    tile_h = max(2 * m.target, min((b.remaining - (rows - 1) * m.gap) // rows, 6 * m.target))
    icon_size = min(round(m.title * 1.6), tile_h * 2 // 3)
    # Portrait tiles put the icon beside the words, landscape tiles above them.
    text_w = tile_w - 2 * m.margin - (0 if cols == 2 else icon_size + m.margin)
    for index, (wid, key, hint, icon, screen) in enumerate(TILES):
        row, col = divmod(index, cols)
        rect = Rect(b.area.x + col * (tile_w + m.gap), b.y + row * (tile_h + m.gap), tile_w, tile_h)
        size = fitting_size(app.t(key), m.title if cols == 1 else m.heading, text_w)
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
                lines=fonts.wrap(app.t(key), size, text_w, True),
                hint_lines=fonts.wrap(app.t(hint), m.body, text_w),
                extra={"icon_size": icon_size, "hint_size": m.body, "icon_beside": cols == 1},
            )
        )
    b.y += rows * (tile_h + m.gap)
