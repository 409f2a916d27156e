"""Taps, long presses and drags exactly as DESIGN.md defines them."""

from __future__ import annotations

from appliance.touch.gestures import Gesture, GestureRecognizer


def run(frames, recognizer=None):
    """Feed `[(t, [(id, x, y)…])…]`; return (kind, x, y) of every gesture."""
    recognizer = recognizer or GestureRecognizer()
    out = []
    for t, contacts in frames:
        out += recognizer.feed(contacts, t)
    return [(g.kind, g.x, g.y) for g in out]


def test_a_short_still_touch_is_a_tap_at_the_touch_down_position():
    assert run([(0.0, [(1, 100, 200)]), (0.05, [(1, 110, 205)]), (0.1, [])]) == [
        ("down", 100, 200),
        ("tap", 100, 200),
    ]


def test_movement_within_the_slop_is_still_a_tap_beyond_it_a_drag():
    within = run([(0.0, [(1, 100, 100)]), (0.05, [(1, 112, 116)]), (0.1, [])])  # 20 px
    beyond = run([(0.0, [(1, 100, 100)]), (0.05, [(1, 113, 116)]), (0.1, [])])
    assert within[-1][0] == "tap"
    assert beyond == [
        ("down", 100, 100),
        ("drag_start", 100, 100),
        ("drag", 113, 116),
        ("drag_end", 113, 116),
    ]


def test_a_touch_as_long_as_the_long_press_time_is_not_a_tap():
    gestures = run([(0.0, [(1, 100, 100)]), (0.5, [])])
    assert gestures == [("down", 100, 100), ("long_press", 100, 100)]


def test_a_long_press_fires_once_from_the_timer_while_the_finger_rests():
    recognizer = GestureRecognizer()
    assert [g.kind for g in recognizer.feed([(1, 50, 60)], 10.0)] == ["down"]
    assert recognizer.next_deadline == 10.5
    assert recognizer.tick(10.49) == []
    assert recognizer.tick(10.5) == [Gesture("long_press", 50, 60, 10.5)]
    assert recognizer.tick(11.0) == []
    assert recognizer.next_deadline is None
    # Moving or lifting afterwards adds nothing.
    assert recognizer.feed([(1, 200, 60)], 11.1) == []
    assert recognizer.feed([], 11.2) == []


def test_a_second_finger_cancels_the_tap_of_the_first():
    gestures = run(
        [
            (0.0, [(1, 100, 100)]),
            (0.05, [(1, 100, 100), (2, 500, 500)]),
            (0.1, [(1, 100, 100)]),
            (0.15, []),
        ]
    )
    assert gestures == [("down", 100, 100), ("cancel", 100, 100)]


def test_a_second_finger_cancels_the_long_press_of_the_first():
    recognizer = GestureRecognizer()
    recognizer.feed([(1, 100, 100)], 0.0)
    recognizer.feed([(1, 100, 100), (2, 400, 400)], 0.2)
    assert recognizer.tick(1.0) == []
    assert run([(1.5, [])], recognizer) == []


def test_a_drag_follows_the_first_finger_even_with_others_down():
    gestures = run(
        [
            (0.0, [(1, 100, 100)]),
            (0.02, [(1, 100, 100), (2, 300, 100)]),
            (0.04, [(1, 100, 200), (2, 300, 200)]),
            (0.06, [(2, 300, 250)]),
            (0.08, []),
        ]
    )
    assert gestures == [
        ("down", 100, 100),
        ("cancel", 100, 100),
        ("drag_start", 100, 100),
        ("drag", 100, 200),
        ("drag_end", 100, 200),
    ]


def test_a_drag_reports_each_new_position_and_ends_where_the_finger_lifted():
    frames = [(i * 0.01, [(1, 100, 100 + 10 * i)]) for i in range(6)] + [(0.1, [])]
    gestures = run(frames)
    assert gestures[:3] == [("down", 100, 100), ("drag_start", 100, 100), ("drag", 100, 130)]
    assert gestures[-1] == ("drag_end", 100, 150)
    assert [g for g in gestures if g[0] == "drag"][-1] == ("drag", 100, 150)


def test_lost_events_cancel_the_gesture_of_the_finger_that_was_down():
    recognizer = GestureRecognizer()
    recognizer.feed([(1, 100, 100)], 0.0)
    assert [g.kind for g in recognizer.feed([], 0.05, dropped=True)] == ["cancel"]
    assert recognizer.feed([], 0.07) == []
    assert [g.kind for g in recognizer.feed([(2, 10, 10)], 0.2)] == ["down"]
    assert [g.kind for g in recognizer.feed([], 0.25)] == ["tap"]


def test_contacts_reported_with_lost_events_count_only_once_every_finger_is_up():
    recognizer = GestureRecognizer()
    recognizer.feed([(1, 100, 100)], 0.0)
    assert [g.kind for g in recognizer.feed([(1, 100, 100)], 0.05, dropped=True)] == ["cancel"]
    assert recognizer.feed([(1, 100, 100)], 0.06) == []
    assert recognizer.feed([], 0.07) == []
    assert [g.kind for g in recognizer.feed([(2, 10, 10)], 0.2)] == ["down"]


def test_lost_events_end_a_drag_where_it_was():
    recognizer = GestureRecognizer()
    recognizer.feed([(1, 100, 100)], 0.0)
    recognizer.feed([(1, 100, 300)], 0.05)
    assert recognizer.feed([], 0.1, dropped=True) == [Gesture("drag_end", 100, 300, 0.1)]


def test_slop_and_long_press_time_are_settings():
    recognizer = GestureRecognizer(slop_px=5, long_press_s=0.2)
    assert run([(0.0, [(1, 0, 0)]), (0.1, [(1, 6, 0)]), (0.15, [])], recognizer)[1][0] == (
        "drag_start"
    )
    assert run([(1.0, [(1, 0, 0)]), (1.2, [])], recognizer)[-1][0] == "long_press"
