"""The gesture source at run time: evemu files and FIFOs replayed in real time by the
reader thread, and `totem replay-touch` as a technician runs it."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading

import pytest
from touch_streams import single_touch_header

from appliance.touch.evemu import read_recording
from appliance.touch.pipeline import replay
from appliance.touch.source import open_source

SIZE = (1080, 1920)
WAIT = 30  # seconds; generous, only to avoid hanging forever
TOTEM = [sys.executable, "-m", "appliance"]

HEADER = single_touch_header("FIFO Panel")


def touch_down(t, x, y):
    return (
        f"E: {t:.6f} 0003 0000 {x}\nE: {t:.6f} 0003 0001 {y}\n"
        f"E: {t:.6f} 0001 014a 1\nE: {t:.6f} 0000 0000 0\n"
    )


def touch_up(t):
    return f"E: {t:.6f} 0001 014a 0\nE: {t:.6f} 0000 0000 0\n"


def collect(source):
    received: queue.Queue = queue.Queue()
    source.start(received.put)
    return received


def drain(received):
    out = []
    while not received.empty():
        out.append(received.get_nowait())
    return out


def test_a_recording_replays_through_the_same_pipeline(touch_fixtures):
    path = touch_fixtures / "Atmel_maXTouch_Touchscreen.1-finger-fast-taps.events"
    source = open_source(f"evemu:{path}", size=SIZE, rotation=0, matrix=None)
    received = collect(source)
    assert source.finished.wait(WAIT)
    source.stop()
    assert source.error is None
    assert source.device.name == "Atmel maXTouch Touchscreen"
    assert source.device.last_event_time is not None
    description, events = read_recording(path)
    assert drain(received) == replay(description, events, size=SIZE)


def test_a_recording_without_header_is_described_by_its_sibling_desc(touch_fixtures):
    path = touch_fixtures / "QUANTA_OpticalTouchScreen.touch-on-left.events"
    source = open_source(f"evemu:{path}", size=SIZE, rotation=180, matrix=(1, 0, 0, 0, 1, 0))
    received = collect(source)
    assert source.finished.wait(WAIT)
    source.stop()
    assert source.error is None
    kinds = [g.kind for g in drain(received)]
    assert kinds[:2] == ["down", "drag_start"] and kinds[-1] == "drag_end"


def test_a_fifo_is_replayed_as_it_is_written_and_the_long_press_fires_while_held(tmp_path):
    fifo = tmp_path / "touch.fifo"
    os.mkfifo(fifo)
    source = open_source(f"evemu:{fifo}", size=(1001, 1001), rotation=0, matrix=None)
    got_long_press = threading.Event()
    gestures = []

    def on_gesture(gesture):
        gestures.append(gesture)
        if gesture.kind == "long_press":
            got_long_press.set()

    source.start(on_gesture)
    with open(fifo, "w") as writer:
        writer.write(HEADER + touch_down(0.0, 100, 200) + touch_up(0.1))
        writer.write(touch_down(0.3, 700, 800))
        writer.flush()
        # No event is written while the finger rests: the timer alone fires the long press.
        assert got_long_press.wait(WAIT)
        assert source.finished.is_set() is False
        writer.write(touch_up(2.0))
    assert source.finished.wait(WAIT)
    source.stop()
    assert source.error is None
    assert [(g.kind, g.x, g.y) for g in gestures] == [
        ("down", 100, 200),
        ("tap", 100, 200),
        ("down", 700, 800),
        ("long_press", 700, 800),
    ]
    assert gestures[3].t == pytest.approx(0.8)


def test_garbage_in_a_fifo_stops_the_source_with_the_line_number(tmp_path):
    fifo = tmp_path / "touch.fifo"
    os.mkfifo(fifo)
    source = open_source(f"evemu:{fifo}", size=SIZE, rotation=0, matrix=None)
    collect(source)
    with open(fifo, "w") as writer:
        writer.write(HEADER + touch_down(0.0, 10, 10) + "this is not evemu\n")
    assert source.finished.wait(WAIT)
    source.stop()
    assert source.error == f"{fifo}: line 17: not an evemu line: 'this is not evemu'"


def test_stop_ends_a_source_waiting_for_a_fifo_writer(tmp_path):
    fifo = tmp_path / "touch.fifo"
    os.mkfifo(fifo)
    source = open_source(f"evemu:{fifo}", size=SIZE, rotation=0, matrix=None)
    collect(source)
    source.stop()
    assert source.finished.wait(WAIT)
    assert source.error is None


def test_a_missing_file_is_an_error_not_a_crash(tmp_path):
    source = open_source(f"evemu:{tmp_path / 'nope.events'}", size=SIZE, rotation=0, matrix=None)
    collect(source)
    assert source.finished.wait(WAIT)
    assert source.error == f"cannot open {tmp_path / 'nope.events'}: No such file or directory"
    with pytest.raises(ValueError, match="auto"):
        open_source("mouse", size=SIZE, rotation=0, matrix=None)


def run_cli(*args):
    return subprocess.run([*TOTEM, *args], capture_output=True, text=True, timeout=120)


def test_replay_touch_prints_the_gestures_as_json_lines(touch_fixtures):
    events = touch_fixtures / "ELAN_CANDO_Windows7.1-finger-drag-up-down.events"
    desc = touch_fixtures / "ELAN_CANDO_Windows7.desc"
    result = run_cli("replay-touch", str(events), "--desc", str(desc))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert set(lines[0]) == {"gesture", "x", "y", "t"}
    assert lines[0]["gesture"] == "drag_start" and lines[-1]["gesture"] == "drag_end"
    assert {line["gesture"] for line in lines} == {"drag_start", "drag", "drag_end"}
    assert (lines[0]["x"], lines[0]["y"]) == (522, 1155)
    assert all(isinstance(line["t"], float) for line in lines)


def test_replay_touch_honours_size_rotation_and_matrix(touch_fixtures):
    events = touch_fixtures / "Atmel_maXTouch_Touchscreen.1-finger-fast-taps.events"
    plain = run_cli("replay-touch", str(events), "--size", "800x480")
    turned = run_cli(
        "replay-touch",
        str(events),
        "--size",
        "480x800",
        "--rotation",
        "90",
        "--matrix",
        "1,0,0,0,1,0",
    )
    first_plain = json.loads(plain.stdout.splitlines()[0])
    first_turned = json.loads(turned.stdout.splitlines()[0])
    assert (first_plain["x"], first_plain["y"]) == (340, 242)  # raw = pixels at 800x480
    assert abs(first_turned["x"] - (479 - round(242 / 479 * 479))) <= 2
    assert abs(first_turned["y"] - round(340 / 799 * 799)) <= 2


def test_replay_touch_errors_are_one_line(tmp_path, touch_fixtures):
    bad = tmp_path / "bad.events"
    bad.write_text((touch_fixtures / "EP0430M09.desc").read_text() + "E: 0.1 0003\n")
    result = run_cli("replay-touch", str(bad))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "line 101" in result.stderr
    headerless = touch_fixtures / "ELAN_CANDO_Windows7.1-finger-drag-up-down.events"
    result = run_cli("replay-touch", str(headerless))
    assert result.returncode == 1 and "--desc" in result.stderr
    for usage in (["--size", "wide"], ["--rotation", "45"], ["--matrix", "1,2,3"]):
        result = run_cli("replay-touch", str(headerless), *usage)
        assert result.returncode == 2, usage
