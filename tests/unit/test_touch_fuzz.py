"""Fuzzing the pipeline: arbitrary event streams never break it, and lost events
(SYN_DROPPED) never turn into a phantom tap."""

from __future__ import annotations

from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st
from touch_streams import MT_A_PANEL, MT_B_PANEL, SINGLE_TOUCH_PANEL, USB_TABLET

from appliance.touch import codes
from appliance.touch.gestures import CONTRACT_KINDS
from appliance.touch.pipeline import TouchPipeline

SIZE = (1080, 1920)
PANELS = [MT_B_PANEL, MT_A_PANEL, SINGLE_TOUCH_PANEL, USB_TABLET]
FUZZ = fuzz(1.25)

_type = st.sampled_from([codes.EV_SYN, codes.EV_KEY, codes.EV_ABS, codes.EV_REL, 0x15])
_code = st.one_of(
    st.sampled_from(
        [
            codes.SYN_REPORT,
            codes.SYN_MT_REPORT,
            codes.SYN_DROPPED,
            codes.ABS_X,
            codes.ABS_Y,
            codes.ABS_MT_SLOT,
            codes.ABS_MT_POSITION_X,
            codes.ABS_MT_POSITION_Y,
            codes.ABS_MT_TRACKING_ID,
            codes.BTN_TOUCH,
            codes.BTN_LEFT,
        ]
    ),
    st.integers(0, 0x2FF),
)
_value = st.one_of(st.integers(-2, 12), st.integers(-(2**31), 2**31 - 1), st.integers(0, 1000))
_event = st.tuples(st.floats(0, 0.2), _type, _code, _value)


def run(panel, events):
    pipeline = TouchPipeline(panel, size=SIZE)
    out = []
    for t, kind, code, value in events:
        deadline = pipeline.next_deadline
        if deadline is not None and deadline <= t:
            out += pipeline.tick(deadline)
        out += pipeline.feed(kind, code, value, t)
    return out


@FUZZ
@given(panel=st.sampled_from(PANELS), steps=st.lists(_event, max_size=300))
def test_any_event_stream_gives_well_formed_gestures_and_no_tap_across_a_drop(panel, steps):
    t, events = 0.0, []
    for dt, kind, code, value in steps:
        t += dt
        events.append((t, kind, code, value))
    gestures = run(panel, events)
    drops = [e[0] for e in events if e[1] == codes.EV_SYN and e[2] == codes.SYN_DROPPED]
    down_t = None
    for gesture in gestures:
        assert isinstance(gesture.x, int) and 0 <= gesture.x < SIZE[0]
        assert isinstance(gesture.y, int) and 0 <= gesture.y < SIZE[1]
        if gesture.kind == "down":
            down_t = gesture.t
        if gesture.kind == "tap":
            assert down_t is not None
            assert not any(down_t <= drop <= gesture.t for drop in drops)
    assert [g.t for g in gestures] == sorted(g.t for g in gestures)


# Model-based: fingers touching (still or moving), with events lost at random frames.
_touch = st.tuples(
    st.floats(0.02, 0.4),  # gap before the finger comes down
    st.booleans(),  # still (a tap or a long press) or moving (a drag)
    st.lists(st.floats(0.01, 0.12), min_size=1, max_size=8),  # frame intervals until lift
    st.integers(50, 900),
    st.integers(50, 900),
)


def _frames(touches, draw_jitter):
    """[(t, touch index, position or None for the lift)…] and each touch's (down_t, up_t)."""
    frames, spans, t = [], [], 0.0
    for index, (gap, still, intervals, x, y) in enumerate(touches):
        t += gap
        down_t = t
        frames.append((t, index, (x, y)))
        for step, dt in enumerate(intervals[:-1]):
            t += dt
            if still:
                position = (x + draw_jitter(), y + draw_jitter())
            else:
                position = (x + 40 * (step + 1), y + 30 * (step + 1))
            frames.append((t, index, position))
        t += intervals[-1]
        frames.append((t, index, None))
        spans.append((down_t, t, still))
    return frames, spans


def _encode(panel, frames):
    """Per frame, the events a panel of this protocol sends (without the SYN_REPORT)."""
    encoded, previous = [], None
    for t, index, position in frames:
        events = []
        if panel is MT_B_PANEL:
            if position is None:
                events.append((codes.EV_ABS, codes.ABS_MT_TRACKING_ID, -1))
            else:
                if previous != index:
                    events.append((codes.EV_ABS, codes.ABS_MT_TRACKING_ID, 100 + index))
                events += [
                    (codes.EV_ABS, codes.ABS_MT_POSITION_X, position[0]),
                    (codes.EV_ABS, codes.ABS_MT_POSITION_Y, position[1]),
                ]
        elif panel is MT_A_PANEL:
            if position is None:
                events.append((codes.EV_KEY, codes.BTN_TOUCH, 0))
            else:
                events += [
                    (codes.EV_ABS, codes.ABS_MT_POSITION_X, position[0]),
                    (codes.EV_ABS, codes.ABS_MT_POSITION_Y, position[1]),
                    (codes.EV_SYN, codes.SYN_MT_REPORT, 0),
                ]
                if previous != index:
                    events.append((codes.EV_KEY, codes.BTN_TOUCH, 1))
        else:
            button = codes.BTN_LEFT if panel is USB_TABLET else codes.BTN_TOUCH
            if position is None:
                events.append((codes.EV_KEY, button, 0))
            else:
                events += [
                    (codes.EV_ABS, codes.ABS_X, position[0]),
                    (codes.EV_ABS, codes.ABS_Y, position[1]),
                ]
                if previous != index:
                    events.append((codes.EV_KEY, button, 1))
        previous = None if position is None else index
        encoded.append((t, events))
    return encoded


@FUZZ
@given(
    panel=st.sampled_from(PANELS),
    touches=st.lists(_touch, min_size=1, max_size=5),
    data=st.data(),
)
def test_a_finger_down_when_events_were_lost_never_becomes_a_tap(panel, touches, data):
    frames, spans = _frames(touches, lambda: data.draw(st.integers(-3, 3)))
    dropped_frames = data.draw(st.sets(st.integers(0, len(frames) - 1), max_size=3))
    events = []
    drop_times = []
    for number, (t, frame_events) in enumerate(_encode(panel, frames)):
        if number in dropped_frames:
            # The buffer overflowed: part of this frame is gone, then the rest is discarded.
            kept = data.draw(st.integers(0, len(frame_events)))
            events += [(t, *e) for e in frame_events[:kept]]
            events.append((t, codes.EV_SYN, codes.SYN_DROPPED, 0))
            events += [(t, *e) for e in frame_events[kept:]]
            drop_times.append(t)
        else:
            events += [(t, *e) for e in frame_events]
        events.append((t, codes.EV_SYN, codes.SYN_REPORT, 0))
    gestures = [g for g in run(panel, events) if g.kind in CONTRACT_KINDS]

    hit_by_drop = [any(down <= drop <= up for drop in drop_times) for down, up, _ in spans]
    # Protocol A cannot tell a new finger from one whose release was lost: a touch right
    # after a drop may be ignored (never a phantom tap), so it is not expected either.
    follows_drop = [
        panel is MT_A_PANEL and index > 0 and hit_by_drop[index - 1] for index in range(len(spans))
    ]
    taps = [g for g in gestures if g.kind == "tap"]
    for tap in taps:
        (touch,) = [i for i, (_, up, _) in enumerate(spans) if up == tap.t]
        assert not hit_by_drop[touch], "a finger down when events were lost became a tap"
    # And the drop-free quick still touches are all taps.
    expected = [
        up
        for (down, up, still), hit, after in zip(spans, hit_by_drop, follows_drop, strict=True)
        if still and not hit and not after and up - down < 0.45
    ]
    assert [tap.t for tap in taps if tap.t in expected] == expected
