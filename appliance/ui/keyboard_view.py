"""The on-screen keyboard as widgets: AZERTY rows, shift, digits page, accent popup."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from appliance.ui import fonts
from appliance.ui.keyboard import BACKSPACE, PAGE, SHIFT, SPACE, Keyboard
from appliance.ui.layout import Builder
from appliance.ui.widgets import POPUP, Rect, Widget

if TYPE_CHECKING:
    from appliance.ui.context import ScreenContext

ROWS = 4


def key_size(b: Builder) -> tuple[int, int, int]:
    """(key unit width, key height, keyboard width) for this area."""
    m = b.m
    unit = min((b.area.w - 9 * m.gap) // 10, round(1.8 * m.target))
    # Keys stay within 40 % of the area so the text typed keeps room above them.
    by_area = (b.area.h * 2 // 5 - (ROWS - 1) * m.gap) // ROWS
    height = max(m.target, min(round(unit * 1.15), round(1.6 * m.target), by_area))
    return unit, height, unit * 10 + 9 * m.gap


def keyboard_height(b: Builder) -> int:
    _, height, _ = key_size(b)
    return ROWS * height + (ROWS - 1) * b.m.gap


def place_keyboard(
    app: ScreenContext, b: Builder, kb: Keyboard, changed: Callable[[], None]
) -> None:
    """Keys just above the footer; the caller's builder keeps what is left above them."""
    m = b.m
    unit, kh, width = key_size(b)
    left = b.area.x + (b.area.w - width) // 2
    top = b.bottom - keyboard_height(b)
    b.bottom = top - m.gap

    def typing(key: str) -> Callable[[], None]:
        return lambda: (kb.press(key), changed())

    def accents(char: str) -> Callable[[], None]:
        return lambda: (kb.long_press(char) or kb.press(char), changed())

    rows: list[list[tuple[str, str, str, float, Callable, Callable | None, dict | None]]] = []
    for index, chars in enumerate(kb.rows()):
        row = [
            (f"key-{c}", c, c, 1.0, typing(c), accents(c) if not kb.digits else None, None)
            for c in chars
        ]
        if index == 2:
            row.insert(
                0,
                (
                    "key-shift",
                    app.t("key.shift"),
                    "⇧",
                    1.5,
                    typing(SHIFT),
                    None,
                    {"checked": kb.shift},
                ),
            )
            row.append(
                ("key-backspace", app.t("key.backspace"), "⌫", 1.5, typing(BACKSPACE), None, None)
            )
        rows.append(row)
    page_label = app.t("key.letters" if kb.digits else "key.digits")
    rows.append(
        [
            ("key-page", page_label, "abc" if kb.digits else "123", 2.0, typing(PAGE), None, None),
            ("key-space", app.t("key.space"), app.t("key.space"), 6.0, typing(SPACE), None, None),
            ("key-.", ".", ".", 1.0, typing("."), None, None),
            ("key-,", ",", ",", 1.0, typing(","), None, None),
        ]
    )
    popup_anchor: Rect | None = None
    for r, row in enumerate(rows):
        total = sum(item[3] for item in row)
        avail = width - (len(row) - 1) * m.gap
        x = float(left)
        y = top + r * (kh + m.gap)
        for wid, label, shown, weight, action, long_action, state in row:
            w = avail * weight / total
            rect = Rect(round(x), y, round(x + w) - round(x), kh)
            enabled = not (wid == "key-shift" and kb.digits)
            key = Widget(
                wid,
                "key",
                label,
                rect,
                enabled=enabled,
                state=state,
                action=action,
                long_action=long_action,
                style="key",
                font_size=min(m.body, fonts.size_for_height(kh - 8, True)),
                lines=(shown,),
            )
            if kb.popup and label.lower() == kb.popup:
                popup_anchor = rect
            b.add(key)
            x += w + m.gap
    if kb.popup and popup_anchor is not None:
        _place_popup(app, b, kb, changed, popup_anchor, unit, kh, left, width)


def _place_popup(
    app: ScreenContext,
    b: Builder,
    kb: Keyboard,
    changed: Callable[[], None],
    anchor: Rect,
    unit: int,
    kh: int,
    left: int,
    width: int,
) -> None:
    m = b.m
    chars = kb.accents()
    size = max(unit, m.target)
    count = len(chars) + 1  # the accents and a close key
    pw = count * size + (count + 1) * m.gap
    ph = kh + 2 * m.gap
    x = min(max(anchor.x + anchor.w // 2 - pw // 2, left), left + width - pw)
    y = anchor.y - ph - m.gap // 2
    b.add(Widget("accent-popup", "", "", Rect(x, y, pw, ph), style="popup", layer=POPUP))
    kx = x + m.gap
    for char in chars:
        b.add(
            Widget(
                f"accent-{char}",
                "key",
                char,
                Rect(kx, y + m.gap, size, kh),
                action=lambda c=char: (kb.choose_accent(c), changed()),
                style="key-accent",
                font_size=min(m.heading, fonts.size_for_height(kh - 8, True)),
                lines=(char,),
                layer=POPUP,
            )
        )
        kx += size + m.gap
    b.add(
        Widget(
            "accent-close",
            "key",
            app.t("key.close"),
            Rect(kx, y + m.gap, size, kh),
            action=lambda: (kb.close_popup(), changed()),
            style="key",
            font_size=min(m.body, fonts.size_for_height(kh - 8, True)),
            lines=("✕",),
            layer=POPUP,
        )
    )


def place_textbox(app: ScreenContext, b: Builder, wid: str, label: str, kb: Keyboard) -> Widget:
    """A textbox filling what is left between the heading and the keyboard (2–4 lines)."""
    m = b.m
    pad = m.gap
    line = fonts.line_height(m.body)
    lines_fit = max(1, min(6, (b.remaining - 2 * pad) // line))
    height = max(m.target, lines_fit * line + 2 * pad)
    wrapped = fonts.wrap(kb.text + "|", m.body, b.area.w - 2 * pad)
    box = Widget(
        wid,
        "textbox",
        label,
        Rect(b.area.x, b.y, b.area.w, height),
        state={"value": kb.text},
        style="textbox",
        font_size=m.body,
        lines=wrapped[-lines_fit:],
        extra={"pad": pad},
    )
    b.y += height + m.gap
    return b.add(box)
