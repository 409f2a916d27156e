"""Presenting a frame on a rotated panel.

The UI always draws at the size the citizen sees; a panel mounted at 90/180/270° gets the
frame turned before it is shown. Angles follow the touch matrices of DESIGN.md (libinput's
convention): with `rotation = 90` the citizen's top edge lies along the framebuffer's left
edge, which is pygame's counter-clockwise rotation by the same angle.
"""

from __future__ import annotations

import pygame

from appliance.touch.transform import ROTATIONS


def framebuffer_size(size: tuple[int, int], rotation: int) -> tuple[int, int]:
    width, height = size
    return (height, width) if rotation in (90, 270) else (width, height)


def present(frame: pygame.Surface, rotation: int) -> pygame.Surface:
    """The frame as the panel's framebuffer must hold it."""
    if rotation not in ROTATIONS:
        raise ValueError(f"rotation must be one of {tuple(ROTATIONS)}, not {rotation}")
    return frame if rotation == 0 else pygame.transform.rotate(frame, rotation)
