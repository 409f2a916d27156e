"""Turning cage's screen with the panel, before the browser's window shows: a panel mounted
at `display.rotation` shows the site the way the kiosk shows its own screens.

cage has no rotation of its own; it takes an output's transform through the
wlr-output-management protocol, which `wlr-randr` speaks. The kiosk turns its frame a
quarter counter-clockwise for 90 (ui/rotation.py); wlroots' output transform of the same
number shows the same (measured for 90 in QEMU, tests/system/test_qemu_sites.py; 180 and
270 follow the same convention, not measured).
"""

from __future__ import annotations

import subprocess

from appliance.touch.transform import ROTATIONS

WLR_RANDR = "wlr-randr"
TRANSFORMS = {rotation: str(rotation) for rotation in ROTATIONS if rotation}


class ScreenError(Exception):
    pass


def output_names(listing: str) -> list[str]:
    """The outputs `wlr-randr` lists: each starts an unindented line with its name."""
    return [line.split()[0] for line in listing.splitlines() if line[:1].strip() and line.split()]


def turn(rotation: int) -> list[str]:
    """Give every output of cage the transform of `rotation`; the outputs turned."""
    if rotation == 0:
        return []
    if rotation not in TRANSFORMS:
        raise ScreenError(f"rotation must be 0, 90, 180 or 270, not {rotation}")
    try:
        listing = _randr()
        names = output_names(listing)
        for name in names:
            _randr("--output", name, "--transform", TRANSFORMS[rotation])
    except (OSError, subprocess.SubprocessError) as error:
        raise ScreenError(f"cannot turn the screen: {error}") from None
    if not names:
        raise ScreenError("cannot turn the screen: cage lists no output")
    return names


def _randr(*argv: str) -> str:
    done = subprocess.run(
        [WLR_RANDR, *argv], capture_output=True, text=True, timeout=20, check=False
    )
    if done.returncode != 0:
        raise subprocess.SubprocessError(done.stderr.strip() or f"exit status {done.returncode}")
    return done.stdout
