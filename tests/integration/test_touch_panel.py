"""The real panel path: a kernel input device (uinput) chosen, grabbed, read, and followed
through unplug and replug. Needs /dev/uinput (root); skipped elsewhere with the reason."""

from __future__ import annotations

import os
import queue
import time

import pytest
from waiting import wait_until

from appliance.touch import codes
from appliance.touch.source import open_source

UINPUT = "/dev/uinput"
WAIT = 30

pytestmark = [
    pytest.mark.root,
    pytest.mark.skipif(not os.access(UINPUT, os.W_OK), reason=f"{UINPUT} missing or not writable"),
]


def make_panel(name="Totem Test Panel"):
    import evdev

    axis = evdev.AbsInfo(value=0, min=0, max=1000, fuzz=0, flat=0, resolution=0)
    events = {
        codes.EV_KEY: [codes.BTN_TOUCH],
        codes.EV_ABS: [
            (codes.ABS_X, axis),
            (codes.ABS_Y, axis),
            (codes.ABS_MT_SLOT, evdev.AbsInfo(0, 0, 9, 0, 0, 0)),
            (codes.ABS_MT_POSITION_X, axis),
            (codes.ABS_MT_POSITION_Y, axis),
            (codes.ABS_MT_TRACKING_ID, evdev.AbsInfo(0, 0, 65535, 0, 0, 0)),
        ],
    }
    return evdev.UInput(events, name=name, input_props=[codes.INPUT_PROP_DIRECT])


def tap(panel, x, y, tracking_id):
    for kind, code, value in [
        (codes.EV_ABS, codes.ABS_MT_SLOT, 0),
        (codes.EV_ABS, codes.ABS_MT_TRACKING_ID, tracking_id),
        (codes.EV_ABS, codes.ABS_MT_POSITION_X, x),
        (codes.EV_ABS, codes.ABS_MT_POSITION_Y, y),
        (codes.EV_KEY, codes.BTN_TOUCH, 1),
    ]:
        panel.write(kind, code, value)
    panel.syn()
    time.sleep(0.05)
    panel.write(codes.EV_ABS, codes.ABS_MT_TRACKING_ID, -1)
    panel.write(codes.EV_KEY, codes.BTN_TOUCH, 0)
    panel.syn()


def next_kind(received, kind):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        gesture = received.get(timeout=WAIT)
        if gesture.kind == kind:
            return gesture
    raise AssertionError(f"no {kind}")


def node_appears(name):
    """Whether the kernel made a readable /dev/input node for the panel (no devtmpfs in
    some containers: then there is nothing to read and the test cannot run)."""
    import evdev

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        for path in evdev.list_devices():
            try:
                device = evdev.InputDevice(path)
            except OSError:
                continue
            found = device.name == name
            device.close()
            if found:
                return True
        time.sleep(0.1)
    return False


def test_the_panel_is_found_grabbed_read_and_followed_through_replugging():
    try:
        panel = make_panel()
    except Exception as error:  # OSError, or evdev's UInputError when no node shows up
        pytest.skip(f"cannot create a uinput device: {error or type(error).__name__}")
    if not node_appears("Totem Test Panel"):
        panel.close()
        pytest.skip("the kernel created no /dev/input node for the uinput device")
    source = open_source("auto", size=(1001, 1001), rotation=0, matrix=None)
    received: queue.Queue = queue.Queue()
    source.start(received.put)
    try:
        wait_until(lambda: source.device is not None, "the panel to be chosen", WAIT)
        assert source.device.name == "Totem Test Panel"
        tap(panel, 250, 750, 1)
        gesture = next_kind(received, "tap")
        assert (gesture.x, gesture.y) == (250, 750)
        assert source.device.last_event_time is not None

        panel.close()  # unplugged
        wait_until(lambda: source.device is None, "the panel to be let go", WAIT)
        panel = make_panel()  # plugged back
        wait_until(lambda: source.device is not None, "the panel to be found again", WAIT)
        tap(panel, 600, 100, 2)
        gesture = next_kind(received, "tap")
        assert (gesture.x, gesture.y) == (600, 100)
    finally:
        source.stop()
        panel.close()
    assert source.finished.is_set()
