"""Colours of the two themes. Both keep text contrast above WCAG AAA (7:1)."""

from __future__ import annotations

from dataclasses import dataclass

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Theme:
    background: Colour
    text: Colour
    muted: Colour  # secondary text, still >= 7:1 on background
    surface: Colour  # options, keys, textbox
    border: Colour
    primary: Colour  # main action and tiles
    on_primary: Colour
    selected: Colour
    on_selected: Colour
    pressed: Colour
    disabled: Colour
    on_disabled: Colour
    accent: Colour  # stars, focus marks
    bar: Colour  # toolbar background
    on_bar: Colour
    on_bar_disabled: Colour  # a toolbar button that cannot be used: dimmed, still readable
    warning: Colour
    on_warning: Colour
    danger: Colour


# Blue, white, dark text: the look of French public-service sites.
STANDARD = Theme(
    background=(246, 246, 246),
    text=(22, 22, 22),
    muted=(58, 58, 58),
    surface=(255, 255, 255),
    border=(110, 110, 130),
    primary=(0, 0, 145),
    on_primary=(255, 255, 255),
    selected=(0, 0, 145),
    on_selected=(255, 255, 255),
    pressed=(90, 90, 200),
    disabled=(225, 225, 225),
    on_disabled=(80, 80, 80),
    accent=(180, 110, 0),
    bar=(30, 30, 60),
    on_bar=(255, 255, 255),
    on_bar_disabled=(150, 150, 170),
    warning=(255, 214, 0),
    on_warning=(0, 0, 0),
    danger=(160, 0, 0),
)

# Yellow and white on black for low vision.
HIGH_CONTRAST = Theme(
    background=(0, 0, 0),
    text=(255, 255, 255),
    muted=(235, 235, 235),
    surface=(0, 0, 0),
    border=(255, 255, 0),
    primary=(255, 255, 0),
    on_primary=(0, 0, 0),
    selected=(255, 255, 0),
    on_selected=(0, 0, 0),
    pressed=(0, 200, 255),
    disabled=(40, 40, 40),
    on_disabled=(200, 200, 200),
    accent=(255, 255, 0),
    bar=(0, 0, 0),
    on_bar=(255, 255, 0),
    on_bar_disabled=(160, 160, 160),
    warning=(255, 255, 0),
    on_warning=(0, 0, 0),
    danger=(255, 120, 120),
)


def theme_for(high_contrast: bool) -> Theme:
    return HIGH_CONTRAST if high_contrast else STANDARD
