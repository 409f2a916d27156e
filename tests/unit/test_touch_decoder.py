"""The decoder speaks the four protocols panels use and survives lost events."""

from __future__ import annotations

import dataclasses

import pytest
from touch_streams import (
    MT_A_PANEL,
    MT_B_PANEL,
    SINGLE_TOUCH_PANEL,
    USB_TABLET,
    dropped,
    mt_a_frame,
    mt_b_lift,
    mt_b_path,
    single_touch_lift,
    single_touch_path,
    syn,
)

from appliance.touch import codes
from appliance.touch.decoder import (
    ABS_MOUSE,
    MT_A,
    MT_B,
    SINGLE_TOUCH,
    Decoder,
    DecoderError,
    choose_protocol,
)
from appliance.touch.description import AbsRange


def frames(description, events):
    decoder = Decoder(description)
    return [f for t, kind, code, value in events if (f := decoder.feed(kind, code, value, t))]


def positions(frame):
    return [(round(c.x, 3), round(c.y, 3)) for c in frame.contacts]


def test_the_protocol_comes_from_the_capabilities():
    assert choose_protocol(MT_B_PANEL) == MT_B
    assert choose_protocol(MT_A_PANEL) == MT_A
    assert choose_protocol(SINGLE_TOUCH_PANEL) == SINGLE_TOUCH
    assert choose_protocol(USB_TABLET) == ABS_MOUSE


def test_an_axis_with_min_equal_to_max_is_refused():
    flat = dict(SINGLE_TOUCH_PANEL.abs_ranges)
    flat[codes.ABS_Y] = AbsRange(5, 5)
    with pytest.raises(DecoderError, match="min == max"):
        Decoder(dataclasses.replace(SINGLE_TOUCH_PANEL, abs_ranges=flat))


def test_mt_b_slots_give_normalised_contacts():
    events = mt_b_path([(0.0, 250, 500), (0.01, 300, 500)]) + mt_b_lift(0.02)
    result = frames(MT_B_PANEL, events)
    assert [positions(f) for f in result] == [[(0.25, 0.5)], [(0.3, 0.5)], []]


def test_mt_b_keeps_an_unrepeated_value_from_the_slots_last_contact():
    # The kernel does not resend an unchanged X: the second touch only sends Y.
    events = mt_b_path([(0.0, 250, 500)]) + mt_b_lift(0.1)
    events += [
        (0.2, codes.EV_ABS, codes.ABS_MT_TRACKING_ID, 2),
        (0.2, codes.EV_ABS, codes.ABS_MT_POSITION_Y, 800),
        *syn(0.2),
    ]
    assert positions(frames(MT_B_PANEL, events)[-1]) == [(0.25, 0.8)]


def test_mt_b_two_fingers_are_two_contacts():
    events = mt_b_path([(0.0, 100, 100)]) + mt_b_path([(0.01, 900, 900)], slot=1, tracking_id=7)
    last = frames(MT_B_PANEL, events)[-1]
    assert [c.id for c in last.contacts] == [1, 7]


def test_mt_a_packets_are_contacts_and_an_empty_frame_lifts_them():
    events = mt_a_frame(0.0, [(100, 100)]) + mt_a_frame(0.01, [(110, 100), (800, 800)])
    events += mt_a_frame(0.02, [(120, 100), (790, 800)]) + mt_a_frame(0.03, [])
    result = frames(MT_A_PANEL, events)
    assert [len(f.contacts) for f in result] == [1, 2, 2, 0]
    first_id = result[0].contacts[0].id
    # Without tracking ids, the finger that stayed near keeps its identity.
    assert [c.id for c in result[2].contacts if c.x < 0.5] == [first_id]


def test_mt_a_identities_follow_the_nearest_finger_whatever_the_packet_order():
    events = mt_a_frame(0.0, [(100, 100), (900, 900)]) + mt_a_frame(0.01, [(890, 900), (110, 100)])
    first, second = frames(MT_A_PANEL, events)
    ids = {round(c.x, 1): c.id for c in first.contacts}
    assert {round(c.x, 1): c.id for c in second.contacts} == {0.9: ids[0.9], 0.1: ids[0.1]}


def test_single_touch_follows_btn_touch():
    events = single_touch_path([(0.0, 500, 500), (0.01, 510, 500)]) + single_touch_lift(0.02)
    assert [positions(f) for f in frames(SINGLE_TOUCH_PANEL, events)] == [
        [(0.5, 0.5)],
        [(0.51, 0.5)],
        [],
    ]


def test_an_absolute_mouse_panel_touches_with_btn_left():
    events = single_touch_path([(0.0, 0, 1000)], button=codes.BTN_LEFT)
    events += single_touch_lift(0.05, button=codes.BTN_LEFT)
    assert [positions(f) for f in frames(USB_TABLET, events)] == [[(0.0, 1.0)], []]


def test_out_of_range_values_are_clamped_to_the_screen():
    events = single_touch_path([(0.0, -50, 1200)])
    assert positions(frames(SINGLE_TOUCH_PANEL, events)[0]) == [(0.0, 1.0)]


@pytest.mark.parametrize(
    "panel,touch",
    [
        (MT_B_PANEL, lambda: mt_b_path([(0.0, 500, 500)])),
        (MT_A_PANEL, lambda: mt_a_frame(0.0, [(500, 500)])),
        (SINGLE_TOUCH_PANEL, lambda: single_touch_path([(0.0, 500, 500)])),
    ],
)
def test_syn_dropped_discards_until_the_report_and_forgets_every_contact(panel, touch):
    events = touch() + dropped(0.1)
    # Whatever arrives before the closing SYN_REPORT is discarded.
    events += [(0.1, codes.EV_ABS, codes.ABS_MT_POSITION_X, 10), *syn(0.1)]
    events += [
        (0.2, codes.EV_ABS, codes.ABS_MT_POSITION_X, 20),
        (0.2, codes.EV_ABS, codes.ABS_X, 20),
        *syn(0.2),
    ]
    result = frames(panel, events)
    assert result[0].contacts and not result[0].dropped
    assert result[1].dropped and result[1].contacts == ()
    assert result[2].contacts == ()


def test_after_lost_events_protocol_a_waits_for_a_report_without_fingers():
    events = mt_a_frame(0.0, [(500, 500)]) + dropped(0.1) + syn(0.1)
    events += mt_a_frame(0.2, [(500, 500)])  # the same finger, or a new one: unknowable
    events += mt_a_frame(0.3, []) + mt_a_frame(0.4, [(100, 100)])
    result = frames(MT_A_PANEL, events)
    assert [len(f.contacts) for f in result] == [1, 0, 0, 0, 1]
