"""Booting the built image in QEMU for a test module: one guest per module, minutes each.

The boots run only with TOTEM_SYSTEM_TESTS=1 (`make system-test`): under TCG on two shared
cores a boot to the kiosk takes about two minutes of host time.
"""

from __future__ import annotations

import os
import time
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


def assert_data_stays_mounted(ready: dict) -> None:
    """The first boot grows the data partition; its mount must survive that, as the UI sees it.

    Growing it once deleted and re-added the partition: systemd heard of the removal late,
    stopped local-fs.target, and the UI found /var/lib/totem on the read-only root.
    """
    assert ready["local_fs"] == "active", "local-fs.target was stopped during the boot"
    assert ready["ui_data_source"] == ready["data_device"], (
        f"the UI sees {ready['ui_data_source'] or 'nothing'} at /var/lib/totem,"
        f" not the data partition {ready['data_device']}"
    )


def next_tree(guest: qemu.Qemu, predicate, what: str, timeout: float = 180) -> dict:
    """The next accessibility tree the UI writes for which `predicate` holds (trees already
    seen do not count: the screen must change to it from now on)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for report in guest.poll_reports():
            if report.get("event") == "a11y" and predicate(report["tree"]):
                return report["tree"]
        time.sleep(1)
    raise AssertionError(f"the UI never showed {what}; last tree {guest.latest_tree()}")


def ids(tree: dict) -> dict[str, dict]:
    return {item["id"]: item for item in tree.get("widgets", [])}
