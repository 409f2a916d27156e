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


@lru_cache(maxsize=1024)
def wrap(text: str, size: int, width: int, bold: bool = False) -> tuple[str, ...]:
    """Break `text` into lines no wider than `width`; a word too long is cut by characters."""
    lines: list[str] = []
    # French puts a space before ? ! : ; — never let the mark start a line on its own.
    for mark in "?!:;»":
        text = text.replace(f" {mark}", f"\u00a0{mark}")
    text = text.replace("« ", "«\u00a0")
    text = _UNIT.sub("\\1\u00a0", text)  # "15 s", "20 h": a number stays with its unit
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size, bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = word
            while text_width(current, size, bold) > width and len(current) > 1:
                cut = len(current) - 1
                while cut > 1 and text_width(current[:cut], size, bold) > width:
                    cut -= 1
                lines.append(current[:cut])
                current = current[cut:]
        lines.append(current)
    return tuple(lines)
