"""The main loop's wake-up bookkeeping: periodic duties, sleeping until the next one."""

from __future__ import annotations

import os

from appliance.runtime.schedule import Schedule, sleep_for
from appliance.runtime.watch import FileWatch


def test_a_duty_is_due_at_its_start_then_once_per_period():
    schedule = Schedule()
    schedule.every("watchdog", 5.0, start=100.0)
    assert schedule.pop_due(99.0) == []
    assert schedule.next_deadline() == 100.0
    assert schedule.pop_due(100.0) == ["watchdog"]
    assert schedule.next_deadline() == 105.0


def test_a_late_loop_does_not_run_a_burst_of_missed_duties():
    schedule = Schedule()
    schedule.every("content", 3.0, start=0.0)
    assert schedule.pop_due(30.0) == ["content"]
    assert schedule.pop_due(30.0) == []
    assert schedule.next_deadline() == 33.0


def test_sleep_lasts_until_the_earliest_deadline():
    assert sleep_for(10.0, None, 12.5, 11.0, longest=60) == 1.0
    assert sleep_for(10.0, 9.0, longest=60) == 0.0
    assert sleep_for(10.0, None, None, longest=60) == 60


def test_file_watch_notices_appearing_rewritten_and_vanished_files(tmp_path):
    path = tmp_path / "content.json"
    watch = FileWatch(path)
    assert not watch.changed()  # absent, and it was never there
    path.write_text("{}")
    assert watch.changed()
    assert not watch.changed()
    replacement = tmp_path / "new.json"
    replacement.write_text("{}")
    os.replace(replacement, path)  # same size, maybe same mtime tick: new inode
    assert watch.changed()
    path.unlink()
    assert watch.changed()
