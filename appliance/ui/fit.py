"""Whether a screen's layout is one a citizen can read: every text inside its widget and
the screen, no two widgets over one another, no word cut, no text the colour of what is
behind it.

The kiosk uses `layout_faults` to pick, for the text size a citizen chose, the largest
layout that fits (see `KioskApp._layouts`); the tests run it, and `drawn_faults`, over
every screen, text size, contrast and reach, in portrait and landscape.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from appliance.ui.textruns import Run, runs_of
from appliance.ui.theme import STANDARD, Colour, Theme
from appliance.ui.widgets import Rect, Widget

if TYPE_CHECKING:
    import pygame

# What a citizen typed is theirs: cut by characters to fit its box, not checked for words.
TYPED = ("textbox", "quote")
MIN_CONTRAST = 4.5  # WCAG AA for body text; both themes aim at 7:1


@dataclass(frozen=True)
class Fault:
    widget: str
    problem: str

    def __str__(self) -> str:
        return f"{self.widget}: {self.problem}"


def _inside(inner: Rect, outer: Rect) -> bool:
    return (
        inner.x >= outer.x
        and inner.y >= outer.y
        and inner.right <= outer.right
        and inner.bottom <= outer.bottom
    )


def _overlap(a: Rect, b: Rect) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def _words(text: str) -> set[str]:
    return set(text.replace("\u00a0", " ").split())


def widget_faults(w: Widget, screen: Rect, theme: Theme = STANDARD) -> list[Fault]:
    faults = []
    if w.rect.w <= 0 or w.rect.h <= 0:
        return [Fault(w.id, "has no room at all")] if w.role else []
    if not _inside(w.rect, screen):
        faults.append(Fault(w.id, f"lies outside the screen ({w.rect.as_list()})"))
    known = _words(f"{w.label} {w.extra.get('caption', '')}")
    for run in runs_of(w, theme):
        if not _inside(run.rect, w.rect):
            faults.append(Fault(w.id, f"text {run.text!r} goes out of its widget"))
        if run.symbol or w.style in TYPED or w.role == "key":
            continue
        cut = _words(run.text) - known
        if cut:
            faults.append(Fault(w.id, f"word cut or unknown: {sorted(cut)}"))
    return faults


def layout_faults(widgets: list[Widget], size: tuple[int, int]) -> list[Fault]:
    """Everything wrong with this layout on a screen of `size`, without drawing it."""
    screen = Rect(0, 0, *size)
    faults = []
    for w in widgets:
        faults += widget_faults(w, screen)
    shown = [w for w in widgets if w.role and w.rect.w > 0 and w.rect.h > 0]
    for index, a in enumerate(shown):
        for b in shown[index + 1 :]:
            if a.layer == b.layer and _overlap(a.rect, b.rect):
                faults.append(Fault(a.id, f"overlaps {b.id}"))
    return faults


def luminance(colour: Colour) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = colour
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: Colour, b: Colour) -> float:
    """WCAG contrast ratio, 1 (same colour) to 21 (black on white)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _behind(untexted: pygame.Surface, run: Run) -> Colour:
    """The colour most of the run's box has before any text is drawn."""
    samples: Counter = Counter()
    width, height = untexted.get_size()
    for fx in (0.1, 0.3, 0.5, 0.7, 0.9):
        for fy in (0.25, 0.5, 0.75):
            x = min(max(0, run.x + int(run.w * fx)), width - 1)
            y = min(max(0, run.y + int(run.h * fy)), height - 1)
            samples[tuple(untexted.get_at((x, y)))[:3]] += 1
    return samples.most_common(1)[0][0]


def drawn_faults(
    widgets: list[Widget], size: tuple[int, int], *, high_contrast: bool
) -> list[Fault]:
    """Text drawn in a colour too close to what is behind it (drawn off-screen to know)."""
    import pygame

    from appliance.ui.render import draw_frame
    from appliance.ui.theme import theme_for

    theme = theme_for(high_contrast)
    untexted = pygame.Surface(size)
    draw_frame(untexted, widgets, high_contrast=high_contrast, pressed=None, text=False)
    faults = []
    for w in widgets:
        for run in runs_of(w, theme):
            if not run.text.strip():
                continue
            ratio = contrast(run.colour, _behind(untexted, run))
            if ratio < MIN_CONTRAST:
                faults.append(Fault(w.id, f"text {run.text!r} has contrast {ratio:.1f}:1"))
    return faults
