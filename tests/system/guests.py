"""Booting the built image in QEMU for a test module: one guest per module, minutes each.

The boots run only with TOTEM_SYSTEM_TESTS=1 (`make system-test`): under TCG on two shared
cores a boot to the kiosk takes about two minutes of host time.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import qemu

BUILD = Path(__file__).resolve().parents[2] / "build"
BOOT_TIMEOUT = 1800  # TCG on 2 shared cores; typical boots take a few minutes
SCREEN_TIMEOUT = 300


def boot_marks(screens: int) -> list:
    """pytestmark of a module that boots once and then waits for up to `screens` screens."""
    return [
        pytest.mark.timeout(BOOT_TIMEOUT + screens * SCREEN_TIMEOUT),
        pytest.mark.skipif(
            os.environ.get("TOTEM_SYSTEM_TESTS") != "1",
            reason="QEMU boot runs with TOTEM_SYSTEM_TESTS=1 (make system-test)",
        ),
    ]


@contextmanager
def booted(image: Path, name: str, prepare=None, **options) -> Iterator[qemu.Qemu]:
    """A running guest with its files in build/<name>/, stopped however the tests end.

    `prepare(disk)` edits the guest's scratch copy of the card before it boots.
    """
    machine = qemu.Qemu(image, BUILD / name, **options)
    if prepare is not None:
        prepare(machine.disk)
    machine.start()
    try:
        yield machine
    finally:
        machine.stop()
