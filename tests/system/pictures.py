"""Reading QEMU's screendumps: is anything drawn, and where, and did the screen change.

Pixels are sampled on a grid: a 1080x1920 PNG has two million of them, and a drawn screen
differs from a blank one (a single colour) in every part of it.
"""

from __future__ import annotations

import time
from pathlib import Path

import pygame


def wait_picture(guest, path: Path, drawn, timeout: float = 60) -> Path:
    deadline = time.monotonic() + timeout
    while True:
        guest.screendump(path)
        if drawn(path) or time.monotonic() > deadline:
            return path
        time.sleep(1)


def samples(path: Path, step: int = 8) -> bytes:
    """Every step-th pixel of every step-th row, as RGB bytes."""
    picture = pygame.image.load(str(path))
    width, height = picture.get_size()
    rgb = pygame.image.tobytes(picture, "RGB")
    rows = (rgb[y * width * 3 : (y + 1) * width * 3] for y in range(0, height, step))
    return b"".join(b"".join(row[x * 3 : x * 3 + 3] for x in range(0, width, step)) for row in rows)


def colours(path: Path) -> set[bytes]:
    pixels = samples(path)
    return {pixels[i : i + 3] for i in range(0, len(pixels), 3)}


def changed(a: bytes, b: bytes) -> float:
    """Share of sampled pixels that differ between two pictures of the same size."""
    count = len(a) // 3
    return sum(a[i * 3 : i * 3 + 3] != b[i * 3 : i * 3 + 3] for i in range(count)) / count


def region(path: Path, rect: list[int]) -> set[bytes]:
    """The colours inside one widget's rectangle (from the accessibility tree)."""
    picture = pygame.image.load(str(path))
    x, y, w, h = rect
    area = picture.subsurface(pygame.Rect(x, y, w, h).clip(picture.get_rect()))
    pixels = pygame.image.tobytes(area, "RGB")
    return {pixels[i : i + 3] for i in range(0, len(pixels), 3 * 7)}
