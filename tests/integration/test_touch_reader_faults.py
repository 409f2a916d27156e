"""The touch reader never dies silently: an input the pipeline cannot take is dropped,
counted and logged, the stream resyncs and the next touches work; a reader that crashes
starts again, and meanwhile the kiosk and the hardware check say so."""

from __future__ import annotations

import logging
import queue
import time
from datetime import datetime

import pytest
from touch_streams import single_touch_header

from appliance.hwcheck.touch import evaluate_touch
from appliance.runtime import problems
from appliance.runtime.touchstate import touch_state
from appliance.touch import codes
from appliance.touch.decoder import Decoder
from appliance.touch.devices import Candidate
from appliance.touch.panel import PanelSource
from appliance.touch.source import open_source

SIZE = (1001, 1001)
WAIT = 30
POISON = 777  # the x position the "broken" decoder below cannot take

HEADER = single_touch_header("Faulty Panel")


def tap(t: float, x: int, y: int) -> str:
    return (
        f"E: {t:.6f} 0003 0000 {x}\nE: {t:.6f} 0003 0001 {y}\n"
        f"E: {t:.6f} 0001 014a 1\nE: {t:.6f} 0000 0000 0\n"
        f"E: {t + 0.05:.6f} 0001 014a 0\nE: {t + 0.05:.6f} 0000 0000 0\n"
    )


@pytest.fixture
def decoder_that_fails_on_poison(monkeypatch):
    """A decoder bug stands in for any input the pipeline cannot take."""
    real_feed = Decoder.feed

    def feed(self, event_type, code, value, t):
        if event_type == codes.EV_ABS and value == POISON:
            raise ValueError("cannot convert float NaN to integer")
        return real_feed(self, event_type, code, value, t)

    monkeypatch.setattr(Decoder, "feed", feed)


def replayed(path) -> tuple[list, object]:
    source = open_source(f"evemu:{path}", size=SIZE)
    received: queue.Queue = queue.Queue()
    source.start(received.put)
    assert source.finished.wait(WAIT)
    source.stop()
    return [received.get_nowait() for _ in range(received.qsize())], source


def test_a_bad_event_is_dropped_and_the_next_touches_still_work(
    tmp_path, decoder_that_fails_on_poison, caplog
):
    recording = tmp_path / "faulty.events"
    # A finger down, then an event the decoder chokes on mid-touch, then two clean taps.
    recording.write_text(
        HEADER
        + "E: 0.000000 0003 0000 100\nE: 0.000000 0003 0001 100\n"
        + "E: 0.000000 0001 014a 1\nE: 0.000000 0000 0000 0\n"
        + f"E: 0.020000 0003 0000 {POISON}\nE: 0.020000 0000 0000 0\n"
        + "E: 0.040000 0001 014a 0\nE: 0.040000 0000 0000 0\n"
        + tap(0.2, 300, 400)
        + tap(0.5, 600, 700)
    )
    with caplog.at_level(logging.ERROR, logger="appliance.touch.reader"):
        gestures, source = replayed(recording)
    assert source.error is None
    taps = [(g.x, g.y) for g in gestures if g.kind == "tap"]
    assert taps == [(300, 400), (600, 700)], "the touch cut by the fault is no phantom tap"
    assert source.health.faults == 1
    assert "ValueError" in source.health.last_fault
    assert "dropped an input the pipeline could not take" in caplog.text


def test_a_fault_is_published_for_the_technician_and_warned_by_the_hardware_check(
    tmp_path, decoder_that_fails_on_poison
):
    recording = tmp_path / "faulty.events"
    recording.write_text(HEADER + tap(0.0, POISON, 10) + tap(0.2, 20, 20))
    _, source = replayed(recording)
    state = touch_state(source.device, time.monotonic(), time.time(), source.health)
    assert state["reader"]["faults"] == 1 and state["reader"]["error"] is None
    result = evaluate_touch([Candidate("event0", panel_description())], state)
    assert (result.status, result.code) == ("warn", "W-TOUCH-INPUT")
    # An hour later it is history, not a warning.
    later = datetime.fromisoformat(state["reader"]["last_fault_at"]).timestamp() + 3601
    assert (
        evaluate_touch([Candidate("event0", panel_description())], state, now=later).status == "ok"
    )


def panel_description():
    from appliance.touch.evemu import EvemuParser, iter_events

    parser = EvemuParser()
    list(iter_events(HEADER.splitlines(), parser))
    return parser.description


def test_a_crashed_panel_reader_starts_again_and_is_shown_meanwhile(monkeypatch):
    calls = []

    def choose(self, evdev):
        calls.append(time.monotonic())
        if len(calls) == 1:
            raise RuntimeError("udev went away")

    monkeypatch.setattr(PanelSource, "_choose", choose)
    source = PanelSource(size=SIZE)
    source.start(lambda gesture: None)
    try:
        deadline = time.monotonic() + WAIT
        while len(calls) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(calls) >= 2, "the reader was not started again"
        assert not source.finished.is_set()
        assert "the touch reader stopped: RuntimeError: udev went away" in source.error
        problem = problems.touch_reader_problem(source)
        assert problem.code == "E-TOUCH"
        assert "s'est arrêtée" in problem.message.fr
        state = touch_state(None, time.monotonic(), time.time(), source.health)
        result = evaluate_touch([Candidate("event0", panel_description())], state)
        assert (result.status, result.code, result.critical) == ("fail", "E-TOUCH", True)
    finally:
        source.stop()
    assert source.finished.wait(WAIT)


def test_a_replayed_recording_is_not_a_panel_the_screen_reports():
    source = open_source("evemu:/nonexistent.events", size=SIZE)
    source.error = "cannot open /nonexistent.events"
    assert problems.touch_reader_problem(source) is None
    assert problems.touch_reader_problem(None) is None
