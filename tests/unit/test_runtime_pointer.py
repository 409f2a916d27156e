"""`--input mouse`: the desktop mouse goes through the panel's own gesture recogniser."""

from __future__ import annotations

import pygame

from appliance.runtime.pointer import PointerGestures


def press(x, y):
    return pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=(x, y))


def move(x, y):
    return pygame.event.Event(pygame.MOUSEMOTION, pos=(x, y), buttons=(1, 0, 0))


def release(x, y):
    return pygame.event.Event(pygame.MOUSEBUTTONUP, button=1, pos=(x, y))


def run(pointer, script):
    seen = []
    for t, event in script:
        pointer.tick(t, seen.append)
        if event is not None:
            pointer.feed(event, t, seen.append)
    return [(g.kind, g.x, g.y) for g in seen]


def test_a_click_is_a_tap_where_the_button_went_down():
    pointer = PointerGestures((1080, 1920))
    gestures = run(pointer, [(0.0, press(100, 200)), (0.1, release(103, 201))])
    assert gestures == [("down", 100, 200), ("tap", 100, 200)]


def test_holding_the_button_still_is_one_long_press():
    pointer = PointerGestures((1080, 1920))
    gestures = run(
        pointer, [(0.0, press(300, 400)), (0.6, None), (0.9, None), (1.0, release(300, 400))]
    )
    assert gestures == [("down", 300, 400), ("long_press", 300, 400)]


def test_moving_with_the_button_down_is_a_drag():
    pointer = PointerGestures((1080, 1920))
    gestures = run(
        pointer, [(0.0, press(100, 100)), (0.05, move(100, 160)), (0.1, release(100, 160))]
    )
    assert [kind for kind, _, _ in gestures] == ["down", "drag_start", "drag", "drag_end"]


def test_moving_without_a_button_or_other_buttons_do_nothing():
    pointer = PointerGestures((1080, 1920))
    right = pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=3, pos=(5, 5))
    assert run(pointer, [(0.0, move(10, 10)), (0.1, right)]) == []


def test_on_a_panel_turned_90_degrees_the_click_lands_where_the_citizen_sees_it():
    # The frame is shown turned a quarter counter-clockwise on a 1920×1080 panel: the
    # citizen's top-right corner is the panel's top-left.
    pointer = PointerGestures((1080, 1920), rotation=90)
    gestures = run(pointer, [(0.0, press(0, 0)), (0.1, release(0, 0))])
    assert gestures[-1] == ("tap", 1079, 0)
