"""`make run` without a screen explains what to do instead of failing with a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from demo.launcher import display_available


def test_a_desktop_session_counts_as_a_screen():
    assert display_available({"DISPLAY": ":0"})
    assert display_available({"WAYLAND_DISPLAY": "wayland-0"})


def test_without_any_screen_the_demo_says_what_to_do_and_exits_1(tmp_path):
    environ = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    if display_available(environ):
        pytest.skip("this machine has a /dev/dri card the demo could use")
    done = subprocess.run(
        [sys.executable, "-m", "demo", "--data-dir", str(tmp_path / "run-data")],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
    )
    assert done.returncode == 1
    assert "make screenshots" in done.stderr and "--video dummy" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "run-data").exists()
