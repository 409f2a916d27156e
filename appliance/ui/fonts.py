"""Fonts and cached text: rendering glyphs is the costly part of a frame, so each
(text, size, weight, colour) is rendered once and reused until the cache is full.

Atkinson Hyperlegible (designed for low vision) when installed, else DejaVu Sans from
Debian's fonts-dejavu, else pygame's built-in font so the kiosk still shows something.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pygame

_CANDIDATES = {
    False: (
        "/usr/share/fonts/truetype/atkinson-hyperlegible/AtkinsonHyperlegible-Regular.ttf",
        "/usr/share/fonts/opentype/atkinson-hyperlegible/AtkinsonHyperlegible-Regular.otf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ),
    True: (
        "/usr/share/fonts/truetype/atkinson-hyperlegible/AtkinsonHyperlegible-Bold.ttf",
        "/usr/share/fonts/opentype/atkinson-hyperlegible/AtkinsonHyperlegible-Bold.otf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
}
_UNIT = re.compile(r"(\d) (?=(?:s|h|min|km|m)\b|€|%)")
# Symbols used as icons; DejaVu has them, Atkinson does not.
_SYMBOL_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def font_path(bold: bool) -> str | None:
    """The first installed candidate, None meaning pygame's default font."""
    for candidate in _CANDIDATES[bold]:
        if Path(candidate).is_file():
            return candidate
    return None


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False, symbol: bool = False) -> pygame.font.Font:
    if not pygame.font.get_init():
        pygame.font.init()
    path = _SYMBOL_FONT if symbol and Path(_SYMBOL_FONT).is_file() else font_path(bold)
    loaded = pygame.font.Font(path, size)
    if symbol and bold:
        loaded.set_bold(True)
    return loaded


@lru_cache(maxsize=2048)
def text_surface(
    text: str, size: int, colour: tuple[int, int, int], bold: bool = False, symbol: bool = False
) -> pygame.Surface:
    return font(size, bold, symbol).render(text, True, colour)


@lru_cache(maxsize=4096)
def text_width(text: str, size: int, bold: bool = False) -> int:
    return font(size, bold).size(text)[0]


def line_height(size: int, bold: bool = False) -> int:
    return font(size, bold).get_linesize()


def _bound(text: str) -> str:
    """`text` with no-break spaces where a line must not break."""
    # French puts a space before ? ! : ; — never let the mark start a line on its own.
    for mark in "?!:;»":
        text = text.replace(f" {mark}", f"\u00a0{mark}")
    text = text.replace("« ", "«\u00a0")
    return _UNIT.sub("\\1\u00a0", text)  # "15 s", "20 h": a number stays with its unit


@lru_cache(maxsize=1024)
def wrap(
    text: str, size: int, width: int, bold: bool = False, cut: bool = False
) -> tuple[str, ...]:
    """Break `text` into lines no wider than `width`, at spaces only.

    A word wider than `width` stays whole on its own line (and too wide: the layout then
    picks a smaller size, see `fitting_size`); with `cut`, as for what a citizen typed,
    which has no words to respect, it is cut by characters instead.
    """
    lines: list[str] = []
    for paragraph in _bound(text).split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size, bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = word
            while cut and text_width(current, size, bold) > width and len(current) > 1:
                cut_at = len(current) - 1
                while cut_at > 1 and text_width(current[:cut_at], size, bold) > width:
                    cut_at -= 1
                lines.append(current[:cut_at])
                current = current[cut_at:]
        lines.append(current)
    return tuple(lines)


SMALLEST = 16  # px: below this a text is no longer readable at a totem's distance


@lru_cache(maxsize=1024)
def fitting_size(text: str, size: int, width: int, bold: bool = False) -> int:
    """The largest size up to `size` at which every word of `text` fits in `width`, so
    wrapping never has to cut one (never below SMALLEST)."""
    words = _bound(text).replace("\n", " ").split(" ")
    while size > SMALLEST and any(text_width(word, size, bold) > width for word in words):
        size -= 1
    return size


@lru_cache(maxsize=256)
def size_for_height(height: int, bold: bool = False) -> int:
    """The largest size whose line fits in `height` pixels (never below SMALLEST)."""
    size = max(SMALLEST, height)
    while size > SMALLEST and line_height(size, bold) > height:
        size -= 1
    return size
