"""Turning cage's screen with the panel (sites/screen.py): what wlr-randr lists, and the
rotations it is asked for. The turning itself is measured in QEMU (test_qemu_sites.py)."""

from __future__ import annotations

import pytest

from appliance.sites.screen import TRANSFORMS, ScreenError, output_names, turn

# wlr-randr 0.4's listing under cage on QEMU's virtio-gpu.
LISTING = """Virtual-1 "Red Hat, Inc. QEMU Monitor (Virtual-1)"
  Make: Red Hat, Inc.
  Model: QEMU Monitor
  Enabled: yes
  Modes:
    1920x1080 px, 75.000000 Hz (preferred, current)
  Position: 0,0
  Transform: normal
HDMI-A-2 "Some Panel"
  Enabled: yes
"""


def test_the_outputs_are_the_unindented_lines_first_words():
    assert output_names(LISTING) == ["Virtual-1", "HDMI-A-2"]
    assert output_names("") == []


def test_an_unturned_panel_asks_nothing_of_cage():
    assert turn(0) == []  # no wlr-randr run: it may not even be there


def test_only_the_kiosks_rotations_are_turned():
    assert sorted(TRANSFORMS) == [90, 180, 270]
    with pytest.raises(ScreenError, match="not 45"):
        turn(45)
