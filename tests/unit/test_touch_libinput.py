"""The kiosk's touch transform as libinput's calibration property (touch/libinput.py), and
`totem touch-rule`, which writes it: cage, while a site is shown, must put a touch where
the kiosk would."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from appliance.touch.libinput import calibration_property, rule
from appliance.touch.transform import ROTATIONS, Transform, apply

POINTS = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (0.25, 0.75), (0.5, 0.5), (0.9, 0.1)]
CALIBRATION = (0.98, 0.01, 0.02, -0.01, 1.02, -0.015)


@pytest.mark.parametrize("rotation", sorted(ROTATIONS))
@pytest.mark.parametrize("calibration", [None, CALIBRATION])
def test_libinput_maps_a_touch_where_the_kiosk_does(rotation, calibration):
    size = (1080, 1920)
    kiosk = Transform(size, rotation, calibration)
    matrix = [float(v) for v in calibration_property(rotation, calibration).split()]
    for x, y in POINTS:
        # libinput: the matrix on the normalised point, then the output's own box.
        nx, ny = apply(matrix, x, y)
        lx = min(max(round(nx * (size[0] - 1)), 0), size[0] - 1)
        ly = min(max(round(ny * (size[1] - 1)), 0), size[1] - 1)
        assert (lx, ly) == kiosk.to_pixels(x, y)


def test_the_rule_gives_every_input_device_the_property_and_nothing_else():
    text = rule(90, None)
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines == [
        'SUBSYSTEM=="input", KERNEL=="event*", ENV{LIBINPUT_CALIBRATION_MATRIX}="0 -1 1 1 0 0"'
    ]


def touch_rule(tmp_path, toml: str, kept: dict | None = None):
    config = tmp_path / "totem.toml"
    config.write_text(toml)
    data = tmp_path / "data"
    if kept is not None:
        (data / "touch").mkdir(parents=True)
        (data / "touch" / "calibration.json").write_text(json.dumps(kept))
    out = tmp_path / "70-totem-touch.rules"
    done = subprocess.run(
        [sys.executable, "-m", "appliance", "touch-rule", "--config", str(config),
         "--data-dir", str(data), "--out", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return done, out


def property_of(out) -> str:
    return re.search(r'LIBINPUT_CALIBRATION_MATRIX}="([^"]+)"', out.read_text()).group(1)


def test_touch_rule_takes_the_rotation_and_the_configured_matrix(tmp_path):
    done, out = touch_rule(
        tmp_path, "[display]\nrotation = 270\n[touch]\nmatrix = [1, 0, 0.05, 0, 1, 0]\n"
    )
    assert done.returncode == 0, done.stderr
    assert property_of(out) == calibration_property(270, (1, 0, 0.05, 0, 1, 0))


def test_a_technicians_calibration_wins_over_the_configured_matrix(tmp_path):
    kept = {"matrix": list(CALIBRATION), "technician": "T-042", "at": "2026-12-01T10:00:00Z"}
    done, out = touch_rule(tmp_path, "[touch]\nmatrix = [1, 0, 0.05, 0, 1, 0]\n", kept)
    assert done.returncode == 0, done.stderr
    assert property_of(out) == calibration_property(0, CALIBRATION)


def test_a_broken_totem_toml_is_one_clear_line_and_no_rule(tmp_path):
    done, out = touch_rule(tmp_path, "[display]\nrotation = 45\n")
    assert done.returncode == 1 and not out.exists()
    assert "display.rotation" in done.stderr and len(done.stderr.strip().splitlines()) == 1
