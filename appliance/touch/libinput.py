"""The kiosk's touch transform handed to libinput, for the program that reads the panel
through it while a site is shown (cage, appliance/sites): a udev rule giving each input
device the LIBINPUT_CALIBRATION_MATRIX the kiosk applies itself — the panel's rotation,
then its calibration (touch/transform.py, already in libinput's convention). libinput
reads it when it opens a device and applies it to absolute ones only (a panel), never to a
mouse or a keyboard. Written as root when the kiosk's unit starts (`totem touch-rule`).
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from appliance.durable import write_atomically
from appliance.touch.transform import screen_matrix

RULES = Path("/run/udev/rules.d/70-totem-touch.rules")


def calibration_property(rotation: int, calibration: Sequence[float] | None) -> str:
    """LIBINPUT_CALIBRATION_MATRIX's value: six numbers, as the kiosk maps a touch."""
    return " ".join(f"{value:.6g}" for value in screen_matrix(rotation, calibration))


def rule(rotation: int, calibration: Sequence[float] | None) -> str:
    value = calibration_property(rotation, calibration)
    return (
        "# Written by `totem touch-rule` when the kiosk starts: libinput (cage, while a site\n"
        "# is shown) maps the panel as the kiosk does (display.rotation, then the matrix).\n"
        f'SUBSYSTEM=="input", KERNEL=="event*", ENV{{LIBINPUT_CALIBRATION_MATRIX}}="{value}"\n'
    )


def install(text: str, path: Path = RULES) -> None:
    """Write the rule and have udev apply it to the input devices already there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    write_atomically(path, text.encode())
    subprocess.run(["udevadm", "control", "--reload"], check=True, timeout=30)
    subprocess.run(
        ["udevadm", "trigger", "--subsystem-match=input", "--action=change", "--settle"],
        check=True,
        timeout=60,
    )
