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
QUOTE_INDENT = 20  # a quoted text (what the citizen wrote) stands in by this on each side


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


def fit_lines(
    text: str, size: int, width: int, height: int, bold: bool = False
) -> tuple[int, tuple[str, ...]]:
    """(size, lines) of `text` at the largest size up to `size` where no word is wider than
    `width` and the wrapped lines stand within `height`: the last resort of a text that has
    no more room to take."""
    size = fonts.fitting_size(text, size, width, bold)
    while True:
        lines = fonts.wrap(text, size, width, bold)
        if len(lines) * fonts.line_height(size, bold) <= height or size <= fonts.SMALLEST:
            return size, lines
        size -= 1


@dataclass(frozen=True)
class Pager:
    """Paging of a long list: the page shown, how to turn it, the buttons' labels."""

    page: int
    turn: Callable[[int], None]
    previous: str
    more: str


def option_radius(font_size: int) -> int:
    """Radius of an option's round mark, in proportion to its text."""
    return max(12, round(font_size * 0.4))


def option_indent(font_size: int) -> int:
    """Room taken by the round mark before an option's text."""
    return 2 * option_radius(font_size) + 24


def _paginate(rows: list, room: int, gap: int) -> list[list]:
    pages: list[list] = [[]]
    used = 0
    for row in rows:
        height = row[1] + gap
        if pages[-1] and used + height > room:
            pages.append([])
            used = 0
        pages[-1].append(row)
        used += height
    return pages


class Builder:
    """Stacks a screen's widgets in its content area, top-down, footer at the bottom."""

    def __init__(self, metrics: Metrics, area: Rect):
        self.m = metrics
        self.area = area
        self.widgets: list[Widget] = []
        self.y = area.y
        self.bottom = area.bottom  # the footer, once placed, moves this up
        # Set by a screen whose text had to shrink below what it promises to stay readable
        # (a tile's title under body size...): the app then tries the next, smaller layout.
        self.squeezed = False

    @property
    def remaining(self) -> int:
        return self.bottom - self.y

    @property
    def overflow(self) -> bool:
        """Whether the stacked widgets ran into the footer or keyboard anchored below them,
        or a text had to shrink too far to stand in its place."""
        return self.squeezed or self.y > self.bottom + self.m.gap

    def add(self, widget: Widget) -> Widget:
        self.widgets.append(widget)
        return widget

    def space(self, px: int) -> None:
        self.y += px

    def heading(self, wid: str, text: str, size: int | None = None, align: str = "left") -> Widget:
        size = fonts.fitting_size(text, size or self.m.heading, self.area.w, True)
        lines = fonts.wrap(text, size, self.area.w, True)
        height = len(lines) * fonts.line_height(size, True)
        widget = Widget(
            wid,
            "heading",
            text,
            Rect(self.area.x, self.y, self.area.w, height),
            style="heading",
            font_size=size,
            lines=lines,
            extra={"align": align},
        )
        self.y += height + self.m.gap
        return self.add(widget)

    def text(
        self, wid: str, text: str, size: int | None = None, style: str = "text", align: str = "left"
    ) -> Widget:
        width = self.area.w - (2 * QUOTE_INDENT if style == "quote" else 0)
        size = size or self.m.body
        if style != "quote":
            size = fonts.fitting_size(text, size, width)
        lines = fonts.wrap(text, size, width, cut=style == "quote")
        height = len(lines) * fonts.line_height(size)
        widget = Widget(
            wid,
            "text",
            text,
            Rect(self.area.x, self.y, self.area.w, height),
            style=style,
            font_size=size,
            lines=lines,
            extra={"align": align},
        )
        self.y += height + self.m.gap
        return self.add(widget)

    def choice_rows(
        self, items: list[Widget], columns: int = 1, pager: Pager | None = None
    ) -> None:
        """Lay out options (or any list of label widgets) in rows of `columns`; with a
        `pager`, a list too long for the room left is shown a page at a time."""
        gap = self.m.gap
        col_w = (self.area.w - gap * (columns - 1)) // columns
        rows = [self._row(items[i : i + columns], col_w) for i in range(0, len(items), columns)]
        shown = rows
        if pager is not None and sum(h + gap for _, h in rows) > self.remaining:
            width = (self.area.w - gap) // 2
            size = min(
                fonts.fitting_size(t, self.m.body, width - 2 * gap, True)
                for t in (pager.previous, pager.more)
            )
            lines = max(
                len(fonts.wrap(t, size, width - 2 * gap, True))
                for t in (pager.previous, pager.more)
            )
            pager_h = max(
                round(1.25 * self.m.target), lines * fonts.line_height(self.m.body, True) + 2 * gap
            )
            pages = _paginate(rows, self.remaining - pager_h - gap, gap)
            page = min(max(pager.page, 0), len(pages) - 1)
            shown = pages[page]
            self._pager(pager, page, len(pages), pager_h, size)
        for row, height in shown:
            for col, item in enumerate(row):
                item.rect = Rect(self.area.x + col * (col_w + gap), self.y, col_w, height)
                self.add(item)
            self.y += height + gap

    def _row(self, row: list[Widget], col_w: int) -> tuple[list[Widget], int]:
        pad = self.m.gap * 2
        heights = []
        for item in row:
            size = item.font_size or self.m.body
            bold = item.role == "button"
            item.extra["pad"] = pad
            text_w = max(
                40, col_w - pad * 2 - (option_indent(size) if item.role == "option" else 0)
            )
            item.font_size = size = fonts.fitting_size(item.label, size, text_w, bold)
            item.lines = fonts.wrap(item.label, size, text_w, bold)
            heights.append(len(item.lines) * fonts.line_height(size) + pad * 2)
        return row, max(round(1.4 * self.m.target), *heights)

    def _pager(self, pager: Pager, page: int, count: int, height: int, size: int) -> None:
        """ "Previous" and "more" buttons just above the footer."""
        gap = self.m.gap
        top = self.bottom - height
        width = (self.area.w - gap) // 2
        for index, (wid, label, target) in enumerate(
            (("page-previous", pager.previous, page - 1), ("page-next", pager.more, page + 1))
        ):
            button = Widget(
                wid,
                "button",
                label,
                Rect(self.area.x + index * (width + gap), top, width, height),
                enabled=0 <= target < count,
                state={"value": f"{page + 1}/{count}"},
                action=lambda target=target: pager.turn(target),
                style="secondary",
                font_size=size,
                lines=fonts.wrap(label, size, width - 2 * gap, True),
            )
            self.add(button)
        self.bottom = top - gap

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
        # One size for the row, the largest at which no button's word is cut.
        size = min(fonts.fitting_size(b.label, self.m.body, width - 2 * gap, True) for b in buttons)
        lines = [fonts.wrap(b.label, size, width - 2 * gap, True) for b in buttons]
        height = max(
            round(1.25 * self.m.target),
            max(len(ls) for ls in lines) * fonts.line_height(size, True) + 2 * gap,
        )
        top = self.area.bottom - height
        x = self.area.right - len(buttons) * width - (len(buttons) - 1) * gap
        for button, wrapped in zip(buttons, lines, strict=True):
            button.rect = Rect(x, top, width, height)
            button.font_size, button.lines = size, wrapped
            self.add(button)
            x += width + gap
        self.bottom = top - gap
