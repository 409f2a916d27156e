"""The live touch check finds a real kernel input device and reads its axis ranges.

A virtual panel made through /dev/uinput is a real evdev node for the kernel: sysfs
describes it and its ranges come from the open node, as with a USB panel on a totem.
"""

import os
from pathlib import Path

import pytest
from waiting import poll

from appliance.hwcheck.context import CheckContext
from appliance.hwcheck.sysroot import Sysroot
from appliance.hwcheck.touch import check_touch

pytestmark = pytest.mark.root


@pytest.fixture
def virtual_panel():
    if not os.path.exists("/dev/uinput"):
        pytest.skip("no /dev/uinput on this machine (modprobe uinput)")
    from evdev import AbsInfo, UInput, ecodes

    axes = [
        (ecodes.ABS_X, AbsInfo(0, 0, 4095, 0, 0, 0)),
        (ecodes.ABS_Y, AbsInfo(0, 0, 2303, 0, 0, 0)),
        (ecodes.ABS_MT_SLOT, AbsInfo(0, 0, 9, 0, 0, 0)),
        (ecodes.ABS_MT_POSITION_X, AbsInfo(0, 0, 4095, 0, 0, 0)),
        (ecodes.ABS_MT_POSITION_Y, AbsInfo(0, 0, 2303, 0, 0, 0)),
        (ecodes.ABS_MT_TRACKING_ID, AbsInfo(0, 0, 65535, 0, 0, 0)),
    ]
    device = UInput(
        {ecodes.EV_KEY: [ecodes.BTN_TOUCH], ecodes.EV_ABS: axes},
        name="Totem test panel",
        input_props=[ecodes.INPUT_PROP_DIRECT],
    )
    try:
        node = Path(device.device.path).name
        # udev may still be creating the sysfs entry
        poll(Path(f"/sys/class/input/{node}/device/capabilities/abs").exists, 5)
        yield node
    finally:
        device.close()


def test_a_connected_panel_is_found_with_its_ranges(virtual_panel, tmp_path):
    result = check_touch(CheckContext(Sysroot("/"), data_dir=tmp_path))
    assert result.status == "ok"
    if result.details["node"] == f"/dev/input/{virtual_panel}":  # no real panel competing
        assert result.details["name"] == "Totem test panel"
        assert result.details["ranges"]["ABS_MT_POSITION_X"] == [0, 4095]
        assert result.details["ranges"]["ABS_Y"] == [0, 2303]
