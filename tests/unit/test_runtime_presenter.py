"""A panel mounted turned shows the frame turned so that touches land where they look.

The touch transform (libinput convention) maps what the panel reports to the citizen's
pixels; the presenter must turn the picture the same way, or a citizen touching a button
would hit another one.
"""

from __future__ import annotations

import pygame
import pytest

from appliance.runtime.video import Presenter
from appliance.touch.transform import Transform

SIZE = (60, 100)  # the citizen's view, small for speed
MARK = (10, 20)


@pytest.fixture
def display():
    pygame.display.init()
    yield
    pygame.display.quit()


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_a_touch_on_a_drawn_mark_reaches_the_mark(display, rotation):
    panel = (SIZE[1], SIZE[0]) if rotation in (90, 270) else SIZE
    presenter = Presenter(pygame.display.set_mode(panel), SIZE, rotation)
    presenter.canvas.fill((0, 0, 0))
    presenter.canvas.set_at(MARK, (255, 0, 0))
    presenter.present()

    shown = pygame.display.get_surface()
    ((px, py),) = [
        (x, y)
        for x in range(panel[0])
        for y in range(panel[1])
        if shown.get_at((x, y))[:3] == (255, 0, 0)
    ]
    touched = Transform(SIZE, rotation).to_pixels(px / (panel[0] - 1), py / (panel[1] - 1))
    assert abs(touched[0] - MARK[0]) <= 1 and abs(touched[1] - MARK[1]) <= 1


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_repainting_only_what_changed_gives_the_same_picture_as_a_full_frame(display, rotation):
    panel = (SIZE[1], SIZE[0]) if rotation in (90, 270) else SIZE
    presenter = Presenter(pygame.display.set_mode(panel), SIZE, rotation)
    presenter.canvas.fill((0, 0, 0))
    presenter.present()
    changed = pygame.Rect(5, 30, 20, 10)
    for x in range(changed.w):
        for y in range(changed.h):
            presenter.canvas.set_at((changed.x + x, changed.y + y), (x * 10, y * 20, 99))
    presenter.present([changed])
    partial = pygame.display.get_surface().copy()
    presenter.present()
    full = pygame.display.get_surface()
    assert pygame.image.tobytes(partial, "RGB") == pygame.image.tobytes(full, "RGB")


def test_on_a_small_desktop_the_window_fits_and_keeps_the_panels_proportions():
    from appliance.runtime.video import window_size

    assert window_size((1080, 1920), (1920, 1080)) == (547, 972)  # a laptop: 90 % of its height
    assert window_size((1920, 1080), (3840, 2160)) == (1920, 1080)  # never enlarged
    assert window_size((1080, 1920), (1366, 768)) == (389, 691)


@pytest.mark.parametrize("rotation", [0, 90])
def test_a_scaled_window_shows_the_whole_frame_and_a_click_lands_on_the_mark(display, rotation):
    from appliance.runtime.pointer import PointerGestures

    size = (200, 400)
    panel = (size[1], size[0]) if rotation == 90 else size
    window = (panel[0] // 2, panel[1] // 2)
    presenter = Presenter(pygame.display.set_mode(window), size, rotation)
    assert presenter.canvas.get_size() == size  # the UI still draws at the kiosk's size
    presenter.canvas.fill((0, 0, 0))
    mark = pygame.Rect(40, 80, 20, 20)
    presenter.canvas.fill((255, 0, 0), mark)
    presenter.present([mark])
    shown = pygame.display.get_surface()
    red = [
        (x, y)
        for x in range(window[0])
        for y in range(window[1])
        if shown.get_at((x, y))[:3] == (255, 0, 0)
    ]
    assert red, "the mark is in the window"
    cx = sum(x for x, _ in red) / len(red)
    cy = sum(y for _, y in red) / len(red)
    pointer = PointerGestures(size, rotation, window)
    seen = []
    pointer.feed(
        pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=(cx, cy)), 0.0, seen.append
    )
    pointer.feed(
        pygame.event.Event(pygame.MOUSEMOTION, pos=(cx, cy), buttons=(1, 0, 0)), 0.0, seen.append
    )
    ((kind, x, y),) = [(g.kind, g.x, g.y) for g in seen]
    assert kind == "down" and mark.collidepoint(x, y)
