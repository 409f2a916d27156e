"""A totem whose touch panel is missing shows the out-of-service screen with its code."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
SYSROOTS = REPO / "tests" / "fixtures" / "sysroots"
TOTEM = [sys.executable, "-m", "appliance"]


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    return subprocess.run(
        [*TOTEM, *args], capture_output=True, text=True, timeout=timeout, cwd=REPO, env=env
    )


def kiosk_screen(data_dir: Path, touch_fixtures: Path, tmp_path: Path) -> dict:
    """The first screen the kiosk draws (it reads the report before its first frame)."""
    a11y = tmp_path / "a11y.json"
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    desc = touch_fixtures / "Atmel_maXTouch_Touchscreen.desc"
    kiosk = subprocess.Popen(
        [
            *TOTEM,
            "run",
            "--video",
            "dummy",
            "--data-dir",
            str(data_dir),
            f"--input=evemu:{desc}",
            "--a11y-out",
            str(a11y),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(600):  # up to a minute on a loaded machine
            if a11y.exists() or kiosk.poll() is not None:
                break
            time.sleep(0.1)
        assert a11y.exists(), kiosk.stderr.read().decode() if kiosk.poll() is not None else ""
        return json.loads(a11y.read_text(encoding="utf-8"))
    finally:
        kiosk.kill()
        kiosk.wait(timeout=30)


def test_the_kiosk_goes_out_of_service_when_the_check_finds_no_panel(tmp_path, touch_fixtures):
    data_dir = tmp_path / "data"
    check = run(
        "check", "--sysroot", str(SYSROOTS / "pi4-no-touch"), "--write", "--data-dir", str(data_dir)
    )
    assert check.returncode == 1  # a check failed
    tree = kiosk_screen(data_dir, touch_fixtures, tmp_path)
    assert tree["screen"] == "out-of-service"
    texts = " ".join(str(widget.get("label", "")) for widget in tree["widgets"])
    assert "E-TOUCH" in texts


def test_a_healthy_report_leaves_the_kiosk_in_service(tmp_path, touch_fixtures):
    data_dir = tmp_path / "data"
    check = run(
        "check", "--sysroot", str(SYSROOTS / "pi4-healthy"), "--write", "--data-dir", str(data_dir)
    )
    assert check.returncode == 0, check.stdout
    tree = kiosk_screen(data_dir, touch_fixtures, tmp_path)
    assert tree["screen"] != "out-of-service"
