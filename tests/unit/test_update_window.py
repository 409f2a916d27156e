"""The maintenance window: inside it, and only with nobody at the screen."""

from __future__ import annotations

from datetime import time

import pytest

from appliance.update.window import WindowError, in_window, may_restart, parse_window


def test_a_night_window_and_one_past_midnight():
    night = parse_window("03:00-05:00")
    assert in_window(time(3, 0), night) and in_window(time(4, 59), night)
    assert not in_window(time(5, 0), night) and not in_window(time(2, 59), night)
    late = parse_window("23:30-01:00")
    assert in_window(time(23, 45), late) and in_window(time(0, 30), late)
    assert not in_window(time(1, 0), late) and not in_window(time(12, 0), late)


def test_a_citizen_at_the_screen_holds_the_restart():
    night = parse_window("03:00-05:00")
    assert may_restart(time(3, 30), night, "attract")
    assert not may_restart(time(3, 30), night, "ideas")  # someone typing an idea at 3:30
    assert not may_restart(time(12, 0), night, "attract")


@pytest.mark.parametrize(
    "text", ["", "3:00-5:00", "03:00", "24:00-01:00", "03:00-03:00", "٠٣:00-05:00"]
)
def test_a_window_not_like_03_00_05_00_is_refused(text):
    with pytest.raises(WindowError):
        parse_window(text)
