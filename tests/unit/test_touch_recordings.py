"""Every real recording in tests/fixtures/touch gives the gestures a person made.

Expected positions come from the raw values in the files (quoted with their line
numbers), mapped as DESIGN.md says: pixel = round(raw / max × (size − 1)); ±2 px.
"""

from __future__ import annotations

import pytest

from appliance.touch.evemu import read_recording
from appliance.touch.pipeline import replay

SIZE = (1080, 1920)


def px(raw: int, maximum: int, pixels: int) -> int:
    return round(raw / maximum * (pixels - 1))


def gestures_of(fixtures, recording, desc=None, size=SIZE, **options):
    path = fixtures / f"{recording}.events"
    device = recording.split(".", 1)[0]
    description, events = read_recording(path, fixtures / f"{desc or device}.desc")
    return replay(description, events, size=size, **options)


def kinds(gestures, *wanted):
    return [g for g in gestures if g.kind in wanted]


def assert_near(gesture, x, y):
    assert abs(gesture.x - x) <= 2 and abs(gesture.y - y) <= 2, (gesture, x, y)


def assert_one_drag(gestures, start, end):
    """One drag from the touch-down position to the lift position, no tap, no long press."""
    assert kinds(gestures, "tap", "long_press") == []
    starts, ends = kinds(gestures, "drag_start"), kinds(gestures, "drag_end")
    assert len(starts) == 1 and len(ends) == 1
    assert len(kinds(gestures, "drag")) >= 1
    assert_near(starts[0], *start)
    assert_near(ends[0], *end)
    contract = [g for g in gestures if g.kind in ("drag_start", "drag", "drag_end")]
    assert contract[0].kind == "drag_start" and contract[-1].kind == "drag_end"


# (recording, raw first X/Y, raw last X/Y, axis maxima); first/last values read from the file.
ONE_FINGER_DRAGS = [
    # lines 121-122 → 614-615
    ("Atmel_maXTouch_Touchscreen.1-finger-drag-up-down", (361, 379), (382, 393), (799, 479)),
    # lines 2-3 → 1745, 1791
    ("ELAN_CANDO_Windows7.1-finger-drag-up-down", (1454, 1117), (1434, 625), (3008, 1856)),
    # lines 105-106 → 792, 833
    ("EP0430M09.1-finger-drag-up-down", (605, 136), (608, 126), (1279, 767)),
    # MT protocol A; lines 3-4 → 946-947
    ("N-Trig_MultiTouch.1-finger-drag-NW-SE", (205, 183), (9369, 6967), (9600, 7200)),
    # lines 2-3 → 399, 443
    ("QUANTA_OpticalTouchScreen.touch-hover", (1041, 448), (1146, 448), (1920, 1080)),
    # lines 2-3 → 104, 142
    ("QUANTA_OpticalTouchScreen.touch-on-left", (127, 444), (116, 504), (1920, 1080)),
]


@pytest.mark.parametrize("recording,first,last,maxima", ONE_FINGER_DRAGS, ids=lambda v: str(v))
def test_a_one_finger_drag_is_one_drag_and_no_tap(touch_fixtures, recording, first, last, maxima):
    gestures = gestures_of(touch_fixtures, recording)
    start = (px(first[0], maxima[0], 1080), px(first[1], maxima[1], 1920))
    end = (px(last[0], maxima[0], 1080), px(last[1], maxima[1], 1920))
    assert_one_drag(gestures, start, end)


def test_the_fast_taps_recording_gives_its_nine_taps(touch_fixtures):
    gestures = gestures_of(touch_fixtures, "Atmel_maXTouch_Touchscreen.1-finger-fast-taps")
    # Touch-down positions per tracking id 3..11. The kernel does not repeat an unchanged
    # value, so a tap without its own X (or Y) line is where the previous one was.
    raw = [
        (340, 242),
        (354, 228),
        (357, 239),
        (364, 255),
        (364, 251),
        (345, 251),
        (349, 250),
        (349, 264),
        (373, 252),
    ]
    lifts = [
        0.095573,
        0.316645,
        0.551496,
        0.772994,
        0.994298,
        1.214633,
        1.449650,
        1.685151,
        1.934008,
    ]
    taps = kinds(gestures, "tap", "long_press", "drag_start", "drag", "drag_end")
    assert [g.kind for g in taps] == ["tap"] * 9
    for tap, (x, y), lift in zip(taps, raw, lifts, strict=True):
        assert_near(tap, px(x, 799, 1080), px(y, 479, 1920))
        assert tap.t == pytest.approx(lift)


@pytest.mark.parametrize(
    "recording",
    [
        "Atmel_maXTouch_Touchscreen.2-fingers-touch-release",
        "Atmel_maXTouch_Touchscreen.4-finger-drag-down",
        "EP0430M09.2-finger-scroll-down",
        "EP0430M09.2-fingers-touch-release",
        "EP0430M09.4-finger-drag-down",
        "N-Trig_MultiTouch.2-fingers-touch-release",
    ],
)
def test_two_and_four_finger_recordings_give_no_tap(touch_fixtures, recording):
    gestures = gestures_of(touch_fixtures, recording)
    assert kinds(gestures, "tap") == []
    # The second finger cancels what the first promised: the UI is told at once.
    assert kinds(gestures, "cancel") or kinds(gestures, "long_press")


def test_two_fingers_touching_together_and_releasing_give_nothing(touch_fixtures):
    gestures = gestures_of(touch_fixtures, "EP0430M09.2-fingers-touch-release")
    assert kinds(gestures, "tap", "long_press", "drag_start", "drag", "drag_end") == []


def test_a_two_finger_touch_that_hardly_moves_is_nothing_at_the_panels_own_size(touch_fixtures):
    # Slop is in screen pixels: at 800×480 the first finger's 10-unit wobble stays within it.
    gestures = gestures_of(
        touch_fixtures, "Atmel_maXTouch_Touchscreen.2-fingers-touch-release", size=(800, 480)
    )
    assert kinds(gestures, "tap", "long_press", "drag_start", "drag", "drag_end") == []


@pytest.mark.parametrize(
    "recording,first,maxima",
    [
        ("Atmel_maXTouch_Touchscreen.4-finger-drag-down", (415, 107), (799, 479)),
        ("EP0430M09.2-finger-scroll-down", (930, 547), (1279, 767)),
        ("EP0430M09.4-finger-drag-down", (265, 520), (1279, 767)),
    ],
)
def test_several_fingers_moving_together_drag_from_the_first_finger(
    touch_fixtures, recording, first, maxima
):
    gestures = gestures_of(touch_fixtures, recording)
    assert kinds(gestures, "tap", "long_press") == []
    starts = kinds(gestures, "drag_start")
    assert len(starts) == 1 and len(kinds(gestures, "drag_end")) == 1
    assert_near(starts[0], px(first[0], maxima[0], 1080), px(first[1], maxima[1], 1920))
    # They all travelled a long way along the panel's Y axis (which way is "down" depends
    # on how each panel is mounted).
    drags = kinds(gestures, "drag")
    assert abs(drags[-1].y - starts[0].y) > 300


def test_one_finger_held_still_is_a_long_press_even_if_a_second_comes_later(touch_fixtures):
    # N-Trig (MT protocol A): the first finger rests 1.27 s at raw (1588, 6097) before the
    # second arrives.
    gestures = gestures_of(touch_fixtures, "N-Trig_MultiTouch.2-fingers-touch-release")
    (long_press,) = kinds(gestures, "long_press", "tap", "drag_start")
    assert long_press.kind == "long_press"
    assert_near(long_press, px(1588, 9600, 1080), px(6097, 7200, 1920))
    assert long_press.t == pytest.approx(1357751031.716015 + 0.5)


def test_the_long_quanta_session_gives_drags_a_tap_and_a_long_press(touch_fixtures):
    gestures = gestures_of(touch_fixtures, "QUANTA_OpticalTouchScreen")
    summary = [g.kind for g in kinds(gestures, "tap", "long_press", "drag_start")]
    assert summary == ["drag_start", "drag_start", "tap", "long_press"] + ["drag_start"] * 5
    (tap,) = kinds(gestures, "tap")
    (long_press,) = kinds(gestures, "long_press")
    assert_near(tap, px(1051, 1920, 1080), px(588, 1080, 1920))  # lines 816-817
    assert_near(long_press, px(663, 1920, 1080), px(609, 1080, 1920))  # lines 826-827
    assert len(kinds(gestures, "drag_end")) == 7


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_rotation_moves_the_taps_where_the_citizen_sees_them(touch_fixtures, rotation):
    plain = gestures_of(
        touch_fixtures, "Atmel_maXTouch_Touchscreen.1-finger-fast-taps", size=(1000, 1000)
    )
    turned = gestures_of(
        touch_fixtures,
        "Atmel_maXTouch_Touchscreen.1-finger-fast-taps",
        size=(1000, 1000),
        rotation=rotation,
    )
    expected = {
        0: lambda x, y: (x, y),
        90: lambda x, y: (999 - y, x),
        180: lambda x, y: (999 - x, 999 - y),
        270: lambda x, y: (y, 999 - x),
    }[rotation]
    taps, turned_taps = kinds(plain, "tap"), kinds(turned, "tap")
    assert len(turned_taps) == 9
    for tap, turned_tap in zip(taps, turned_taps, strict=True):
        assert_near(turned_tap, *expected(tap.x, tap.y))
