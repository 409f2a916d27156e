"""Reading evemu recordings: headers, events, and one clear error for a bad line."""

from __future__ import annotations

import pytest

from appliance.cli import main
from appliance.touch import codes
from appliance.touch.evemu import (
    EvemuError,
    InputEvent,
    parse_event,
    read_description,
    read_recording,
)

HEADER = """# EVEMU 1.3
N: Test Panel
I: 0018 0000 0000 0000
P: 02 00 00 00 00 00 00 00
B: 00 0b 00 00 00 00 00 00 00
B: 01 00 00 00 00 00 00 00 00
B: 01 00 00 00 00 00 00 00 00
B: 01 00 00 00 00 00 00 00 00
B: 01 00 00 00 00 00 00 00 00
B: 01 00 00 00 00 00 00 00 00
B: 01 00 04 00 00 00 00 00 00
B: 03 03 00 00 00 00 00 00 00
A: 00 0 799 0 0 0
A: 01 0 479 0 0
"""
EVENTS = """E: 0.000001 0003 0000 0340\t# EV_ABS / ABS_X 340
E: 0.000001 0003 0001 0242
E: 0.000001 0001 014a 0001
E: 0.000001 0000 0000 0000
E: 0.095573 0001 014a 0000
E: 0.095573 0000 0000 0000
"""


def test_a_recording_with_its_own_header(tmp_path):
    path = tmp_path / "tap.events"
    path.write_text(HEADER + EVENTS)
    description, events = read_recording(path)
    assert description.name == "Test Panel"
    assert description.properties == {codes.INPUT_PROP_DIRECT}
    assert description.capabilities[codes.EV_KEY] == {codes.BTN_TOUCH}
    assert description.abs_ranges[codes.ABS_Y] == (0, 479)
    assert events[0] == InputEvent(0.000001, codes.EV_ABS, codes.ABS_X, 340)
    assert len(events) == 6


def test_a_recording_described_by_a_separate_desc_file(tmp_path):
    (tmp_path / "panel.desc").write_text(HEADER)
    (tmp_path / "tap.events").write_text(EVENTS)
    description, events = read_recording(tmp_path / "tap.events", tmp_path / "panel.desc")
    assert description.name == "Test Panel" and len(events) == 6


def test_a_recording_without_any_description_says_what_to_do(tmp_path):
    (tmp_path / "tap.events").write_text(EVENTS)
    with pytest.raises(EvemuError, match="--desc"):
        read_recording(tmp_path / "tap.events")


@pytest.mark.parametrize(
    "garbage,line",
    [
        ("hello world\n", 2),
        ("E: 0.1 0003 0000\n", 2),
        ("E: soon 0003 0000 12\n", 2),
        ("B: 03 zz\n", 2),
    ],
)
def test_garbage_is_one_error_naming_its_line(tmp_path, garbage, line):
    path = tmp_path / "bad.events"
    path.write_text("E: 0.0 0000 0000 0000\n" + garbage + EVENTS)
    if garbage.startswith("B:"):
        path.write_text("N: x\n" + garbage + EVENTS)
    with pytest.raises(EvemuError) as raised:
        read_recording(path, None)
    assert raised.value.line == line
    assert str(raised.value).startswith(f"line {line}: ")
    assert "\n" not in str(raised.value)
    assert raised.value.path == str(path)


def test_the_fixture_descriptions_parse(touch_fixtures):
    for desc in sorted(touch_fixtures.glob("*.desc")):
        description = read_description(desc)
        assert description.abs_ranges[codes.ABS_MT_POSITION_X].maximum > 0


@pytest.mark.parametrize(
    ("line", "complaint"),
    [
        ("E: nan 0003 0000 10", "finite number of seconds"),
        ("E: inf 0003 0000 10", "finite number of seconds"),
        ("E: -1.5 0003 0000 10", "finite number of seconds"),
        ("E: 0.1 10000 0000 10", "16-bit"),
        ("E: 0.1 0003 0000 99999999999", "32-bit"),
    ],
)
def test_forged_event_lines_are_refused_with_their_line_number(line, complaint):
    with pytest.raises(EvemuError) as error:
        parse_event(line, 7)
    assert error.value.line == 7 and complaint in str(error.value)


def test_replay_touch_never_prints_anything_but_json(tmp_path, touch_fixtures, capsys):
    recording = tmp_path / "forged.events"
    desc = (touch_fixtures / "EP0430M09.desc").read_text()
    recording.write_text(desc + "E: 0.000000 0000 0000 0\nE: nan 0000 0000 0\n")
    assert main(["replay-touch", str(recording)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "finite number of seconds" in err
