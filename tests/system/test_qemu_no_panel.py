"""A totem whose touch panel is missing says so on its screen instead of ignoring citizens.

The same image boots in QEMU without the USB tablet: the boot's hardware check fails on the
touch panel (critical) and the kiosk shows its out-of-service screen with the code E-TOUCH,
which a technician reads off the screen.
"""

from __future__ import annotations

import pytest
from guests import (
    BOOT_TIMEOUT,
    BUILD,
    SCREEN_TIMEOUT,
    assert_data_stays_mounted,
    boot_marks,
    booted,
)
from pictures import colours, wait_picture

pytestmark = boot_marks(screens=2)


@pytest.fixture(scope="module")
def guest(built_image):
    with booted(built_image, "qemu-no-panel", touch_panel=False) as machine:
        machine.wait_report(lambda r: r.get("event") == "ui-ready", BOOT_TIMEOUT, "UI ready")
        yield machine


def test_the_boot_check_fails_on_the_missing_panel_only(guest):
    report = guest.wait_report(
        lambda r: r.get("event") == "hwcheck", SCREEN_TIMEOUT, "hwcheck report"
    )["report"]
    results = {result["name"]: result for result in report["results"]}
    touch = results["touch"]
    assert touch["status"] == "fail" and touch["critical"], touch
    assert touch["code"] == "E-TOUCH"
    failed = [name for name, result in results.items() if result["status"] == "fail"]
    assert failed == ["touch"], [results[name] for name in failed]


def test_the_data_partition_stays_mounted_where_the_ui_writes(guest):
    ready = guest.wait_report(lambda r: r.get("event") == "ui-ready", BOOT_TIMEOUT, "UI ready")
    assert_data_stays_mounted(ready)


def test_the_kiosk_shows_the_out_of_service_screen_with_the_code(guest):
    tree = guest.wait_screen("out-of-service", SCREEN_TIMEOUT)
    labels = " ".join(widget.get("label", "") for widget in tree["widgets"])
    assert "E-TOUCH" in labels
    shot = wait_picture(guest, BUILD / "qemu-no-panel.png", lambda p: len(colours(p)) >= 8)
    assert len(colours(shot)) >= 8, f"{shot} is blank"
