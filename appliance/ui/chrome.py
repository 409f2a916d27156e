"""What frames every screen: the accessibility toolbar, the warning banner, the areas
left for the screen itself, and the idle countdown that covers everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from appliance.ui import fonts, layout
from appliance.ui.i18n import language_name
from appliance.ui.widgets import Rect, Widget

if TYPE_CHECKING:
    from appliance.ui.context import ScreenContext

# In low-reach mode the screen's content starts this far down, so a seated person reaches it.
LOW_REACH_TOP = {"portrait": 0.40, "landscape": 0.22}
WARNING_SEPARATOR = " · "  # between the warnings of one banner


@dataclass(frozen=True)
class Areas:
    banner: Rect
    content: Rect
    bar: Rect
    reach_band: Rect  # the empty upper band in low-reach mode (zero height otherwise)


def _bar_metrics(app: ScreenContext) -> layout.Metrics:
    # The toolbar keeps its size whatever the text size, so it never moves under a finger.
    return layout.metrics_for(app.size, app.diagonal_inches)


def _bar_items(app: ScreenContext) -> list[tuple[str, str, str, str, object, dict | None, bool]]:
    """(id, label, icon, caption, action, state, enabled) of each toolbar button."""
    s = app.session
    others = [lang for lang in app.languages if lang != s.lang]
    next_lang = others[0] if others else s.lang
    return [
        (
            "bar-home",
            app.t("bar.home"),
            "⌂",
            app.t("bar.home"),
            lambda: app.go("home"),
            None,
            app.screen_name != "out-of-service",
        ),
        (
            "bar-language",
            app.t("bar.language"),
            next_lang.upper(),
            language_name(next_lang),
            app.cycle_language,
            {"value": s.lang},
            len(app.languages) > 1,
        ),
        (
            "bar-text-size",
            app.t("bar.text_size"),
            "A+",
            app.t("bar.text_size"),
            app.cycle_text_size,
            {"value": s.text_size + 1},
            True,
        ),
        (
            "bar-contrast",
            app.t("bar.contrast"),
            "◐",
            app.t("bar.contrast"),
            app.toggle_contrast,
            {"checked": s.high_contrast},
            True,
        ),
        (
            "bar-low-reach",
            app.t("bar.low_reach"),
            "⇩",
            app.t("bar.low_reach"),
            app.toggle_low_reach,
            {"checked": s.low_reach},
            True,
        ),
    ]


def _bar_height(app: ScreenContext, m: layout.Metrics) -> int:
    width = _button_width(m, len(_bar_items(app)))
    lines = max(
        len(fonts.wrap(caption, m.small, width - m.gap, True))
        for _, _, _, caption, *_ in _bar_items(app)
    )
    content = fonts.line_height(_icon_size(m), True) + lines * fonts.line_height(m.small, True)
    return max(m.target, content + m.gap) + 2 * m.gap


def _icon_size(m: layout.Metrics) -> int:
    return round(m.body * 1.3)


def _button_width(m: layout.Metrics, count: int) -> int:
    return (m.width - 2 * m.margin - (count - 1) * m.gap) // count


def screen_areas(app: ScreenContext, m: layout.Metrics, reach: float | None = None) -> Areas:
    """The areas of the screen; `reach` overrides how far down low-reach content starts."""
    bm = _bar_metrics(app)
    bar_h = _bar_height(app, bm)
    bar = Rect(0, m.height - bar_h, m.width, bar_h)
    top = 0
    banner = Rect(0, 0, m.width, 0)
    if app.warning:
        banner_h = fonts.line_height(bm.small, True) + 2 * bm.gap
        banner = Rect(0, 0, m.width, banner_h)
        top = banner_h
    content_top = top + m.margin
    band = Rect(0, top, m.width, 0)
    if m.low_reach:
        fraction = LOW_REACH_TOP["landscape" if m.landscape else "portrait"]
        fraction = fraction if reach is None else reach
        content_top = max(content_top, round(m.height * fraction))
        band = Rect(0, top, m.width, content_top - top)
    content = Rect(m.margin, content_top, m.width - 2 * m.margin, bar.y - m.margin - content_top)
    return Areas(banner=banner, content=content, bar=bar, reach_band=band)


def toolbar(app: ScreenContext, m: layout.Metrics, bar: Rect) -> list[Widget]:
    bm = _bar_metrics(app)
    items = _bar_items(app)
    width = _button_width(bm, len(items))
    widgets = []
    x = bm.margin
    for wid, label, icon, caption, action, state, enabled in items:
        rect = Rect(x, bar.y + bm.gap, width, bar.h - 2 * bm.gap)
        widgets.append(
            Widget(
                wid,
                "button",
                label,
                rect,
                enabled=enabled,
                state=state,
                action=action,
                style="bar",
                font_size=bm.small,
                icon=icon,
                lines=fonts.wrap(caption, bm.small, width - bm.gap, True),
                extra={"icon_size": _icon_size(bm), "caption": caption},
            )
        )
        x += width + bm.gap
    return widgets


def warning_banner(app: ScreenContext, m: layout.Metrics, areas: Areas) -> list[Widget]:
    label = WARNING_SEPARATOR.join(warning.text(app.lang) for warning in app.warning)
    bm = _bar_metrics(app)
    lines = (banner_line(label, bm.small, areas.banner.w - 2 * bm.margin),)
    return [
        Widget(
            "warning", "text", label, areas.banner, style="warning", font_size=bm.small, lines=lines
        )
    ]


def banner_line(label: str, size: int, width: int) -> str:
    """One line for the banner: whole warnings (joined by " · ") that fit, then "(+N)".

    A warning cut in the middle of a word reads as a fault of its own; the full text stays
    in the accessibility tree and in `totem check`.
    """
    parts = label.split(WARNING_SEPARATOR)
    for shown in range(len(parts), 0, -1):
        rest = len(parts) - shown
        line = WARNING_SEPARATOR.join(parts[:shown]) + (f" (+{rest})" if rest else "")
        if fonts.text_width(line, size, True) <= width:
            return line
    words = parts[0].split()
    suffix = "…" + (f" (+{len(parts) - 1})" if len(parts) > 1 else "")
    while words and fonts.text_width(" ".join(words) + suffix, size, True) > width:
        words.pop()
    return " ".join(words) + suffix


def idle_overlay(app: ScreenContext, m: layout.Metrics) -> list[Widget]:
    width = m.width - 2 * m.margin
    height = min(m.height - 2 * m.margin, max(9 * m.target, m.height * 45 // 100))
    # In low-reach mode the question comes down to where the seated citizen can answer it.
    top = m.height - m.margin - height if m.low_reach else (m.height - height) // 2
    area = Rect(m.margin, top, width, height)
    inner = Rect(area.x + m.margin, area.y + m.margin, area.w - 2 * m.margin, area.h - 2 * m.margin)
    b = layout.Builder(m, inner)
    b.widgets.append(Widget("idle-panel", "", "", area, style="panel"))
    b.heading("idle-title", app.t("idle.title"), m.title, align="center")
    b.text("idle-countdown", app.t("idle.body", n=app.countdown_left), m.heading, align="center")
    button = Widget(
        "idle-continue",
        "button",
        app.t("idle.continue"),
        Rect(0, 0, 0, 0),
        action=lambda: None,
        style="primary",
        font_size=m.title,
    )
    button_h = max(2 * m.target, min(b.remaining, 3 * m.target))
    number_h = inner.bottom - button_h - m.gap - b.y
    if number_h > m.title:
        number = Widget(
            "idle-number",
            "",
            str(app.countdown_left),
            Rect(inner.x, b.y, inner.w, number_h),
            style="icon",
            font_size=min(number_h * 3 // 4, m.title * 3),
        )
        b.add(number)
    button.rect = Rect(inner.x, inner.bottom - button_h, inner.w, button_h)
    button.lines = fonts.wrap(button.label, m.title, inner.w - 2 * m.gap, True)
    b.add(button)
    return b.widgets
