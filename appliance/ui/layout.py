"""Sizes and placement: physical target size, type scale, the areas of a screen, and a
builder that stacks widgets top-down with their labels wrapped to fit.

Everything here is computed once per (screen size, text size, low-reach) and per screen
state, never per frame.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from appliance.ui import fonts
from appliance.ui.widgets import Rect, Widget

MIN_TARGET_PX = 64
MIN_TARGET_MM = 15.0
TEXT_SCALES = (1.0, 1.25, 1.5)


@dataclass(frozen=True)
class Metrics:
    width: int
    height: int
    target: int  # smallest side of anything touchable, px
    margin: int
    gap: int
    body: int  # font sizes, px
    heading: int
    title: int
    small: int
    low_reach: bool

    @property
    def landscape(self) -> bool:
        return self.width > self.height


def metrics_for(
    size: tuple[int, int], diagonal_inches: float, text_scale: float = 1.0, low_reach: bool = False
) -> Metrics:
    width, height = size
    px_per_mm = math.hypot(width, height) / (max(diagonal_inches, 1.0) * 25.4)
    target = max(MIN_TARGET_PX, math.ceil(MIN_TARGET_MM * px_per_mm))
    short = min(width, height)
    body = max(18, round(short / 28 * text_scale))
    return Metrics(
        width=width,
        height=height,
        target=target,
        margin=max(16, round(short * 0.035)),
        gap=max(10, round(short * 0.015)),
        body=body,
        heading=round(body * 1.4),
        title=round(body * 1.8),
        small=max(16, round(body * 0.8)),
        low_reach=low_reach,
    )


Action = Callable[[], None]


class Builder:
    """Stacks a screen's widgets in its content area, top-down, footer at the bottom."""

    def __init__(self, metrics: Metrics, area: Rect):
        self.m = metrics
        self.area = area
        self.widgets: list[Widget] = []
        self.y = area.y
        self.bottom = area.bottom  # the footer, once placed, moves this up

    @property
    def remaining(self) -> int:
        return self.bottom - self.y

    def add(self, widget: Widget) -> Widget:
        self.widgets.append(widget)
        return widget

    def space(self, px: int) -> None:
        self.y += px

    def heading(self, wid: str, text: str, size: int | None = None, align: str = "left") -> Widget:
        size = size or self.m.heading
        lines = fonts.wrap(text, size, self.area.w, True)
        height = len(lines) * fonts.line_height(size, True)
        widget = Widget(wid, "heading", text, Rect(self.area.x, self.y, self.area.w, height),
                        style="heading", font_size=size, lines=lines, extra={"align": align})
        self.y += height + self.m.gap
        return self.add(widget)

    def text(self, wid: str, text: str, size: int | None = None, style: str = "text",
             align: str = "left") -> Widget:
        size = size or self.m.body
        lines = fonts.wrap(text, size, self.area.w)
        height = len(lines) * fonts.line_height(size)
        widget = Widget(wid, "text", text, Rect(self.area.x, self.y, self.area.w, height),
                        style=style, font_size=size, lines=lines, extra={"align": align})
        self.y += height + self.m.gap
        return self.add(widget)

    def choice_rows(self, items: list[Widget], columns: int = 1) -> None:
        """Lay out options (or any list of label widgets) in rows of `columns`."""
        gap = self.m.gap
        col_w = (self.area.w - gap * (columns - 1)) // columns
        pad = self.m.gap * 2
        for start in range(0, len(items), columns):
            row = items[start : start + columns]
            heights = []
            for item in row:
                size = item.font_size or self.m.body
                item.font_size = size
                text_w = col_w - pad * 2 - (self.m.target if item.role in ("option",) else 0)
                item.lines = fonts.wrap(item.label, size, max(text_w, 40), item.role == "button")
                heights.append(len(item.lines) * fonts.line_height(size) + pad * 2)
            height = max(round(1.4 * self.m.target), *heights)
            for col, item in enumerate(row):
                item.rect = Rect(self.area.x + col * (col_w + gap), self.y, col_w, height)
                self.add(item)
            self.y += height + gap

    def center_vertically(self, first: int = 0) -> None:
        """Move the widgets stacked since index `first` down to the middle of what is left."""
        shift = max(0, self.remaining) // 2
        for widget in self.widgets[first:]:
            if widget.rect.y < self.bottom:
                r = widget.rect
                widget.rect = Rect(r.x, r.y + shift, r.w, r.h)
        self.y += shift

    def footer(self, buttons: list[Widget]) -> None:
        """Flow buttons on one row at the bottom of the area, the main action on the right."""
        if not buttons:
            return
        gap = self.m.gap
        width = min((self.area.w - gap * (len(buttons) - 1)) // len(buttons), self.area.w // 2)
        size = self.m.body
        lines = [fonts.wrap(b.label, size, width - 2 * gap, True) for b in buttons]
        height = max(round(1.25 * self.m.target),
                     max(len(ls) for ls in lines) * fonts.line_height(size, True) + 2 * gap)
        top = self.area.bottom - height
        x = self.area.right - len(buttons) * width - (len(buttons) - 1) * gap
        for button, wrapped in zip(buttons, lines, strict=True):
            button.rect = Rect(x, top, width, height)
            button.font_size, button.lines = size, wrapped
            self.add(button)
            x += width + gap
        self.bottom = top - gap
