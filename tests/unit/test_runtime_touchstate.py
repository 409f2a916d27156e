"""touch.json: which panel the UI reads and when a citizen last touched it."""

from __future__ import annotations

import json
from types import SimpleNamespace

from appliance.runtime.touchstate import TouchStatePublisher, touch_state


def test_the_last_touch_is_published_as_wall_clock_time():
    panel = SimpleNamespace(name="EP0430M09", path="/dev/input/event3", last_event_time=90.0)
    state = touch_state(panel, monotonic_now=100.0, wall_now=1_800_000_010.0)
    assert state == {
        "device": "EP0430M09",
        "path": "/dev/input/event3",
        "last_event_at": "2027-01-15T08:00:00+00:00",
    }


def test_no_panel_is_published_as_no_device():
    assert touch_state(None, 0.0, 0.0)["device"] is None


def test_the_file_is_rewritten_only_when_something_changed(tmp_path):
    publisher = TouchStatePublisher(tmp_path)
    panel = SimpleNamespace(name="panel", path="/dev/input/event0", last_event_time=None)
    assert publisher.publish(panel)
    assert not publisher.publish(panel)
    assert json.loads((tmp_path / "touch.json").read_text())["device"] == "panel"
    assert publisher.publish(None)
