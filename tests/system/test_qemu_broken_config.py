"""An installer's mistake in totem.toml gives a clear message on the totem's screen.

The card's TOTEMCFG/totem.toml is edited the way an installer would (a commented key turned
on with a value the kiosk cannot take), then the image boots in QEMU: the boot goes on, the
kiosk shows its out-of-service screen naming the key and the line (E-CFG), and the network
lockdown, which cannot trust a file it cannot read, fails closed and says why.
"""

from __future__ import annotations

import pytest
import qemu
from guests import (
    BOOT_TIMEOUT,
    BUILD,
    SCREEN_TIMEOUT,
    assert_data_stays_mounted,
    boot_marks,
    booted,
)
from pictures import colours, wait_picture

pytestmark = boot_marks(screens=1)


@pytest.fixture(scope="module")
def mistake(built_image):
    edit = {}

    def set_rotation_45(disk):
        shipped = qemu.read_config(disk)
        assert "# rotation = 0" in shipped
        edited = shipped.replace("# rotation = 0", "rotation = 45", 1)
        edit["line"] = edited.splitlines().index("rotation = 45") + 1
        qemu.write_config(disk, edited)

    with booted(built_image, "qemu-broken-config", prepare=set_rotation_45) as machine:
        ready = machine.wait_report(lambda r: r.get("event") == "ui-ready", BOOT_TIMEOUT, "UI")
        yield machine, ready, edit["line"]


# The lockdown's units fail visibly on purpose (see totem-netpolicy.service); nothing else may.
LOCKDOWN_UNITS = {"totem-netpolicy.service", "totem-netpolicy-refresh.service"}


def test_the_boot_goes_on(mistake):
    _, ready, _ = mistake
    failed = {unit for unit in ready["failed_units"] if unit.startswith("totem")}
    assert failed - LOCKDOWN_UNITS == set(), failed
    assert ready["hostname"] == "totem"  # kiosk_id unreadable: the documented fallback


def test_the_data_partition_stays_mounted_where_the_ui_writes(mistake):
    _, ready, _ = mistake
    assert_data_stays_mounted(ready)


def test_the_network_fails_closed_naming_the_mistake(mistake):
    guest, _, _ = mistake

    def policy_of(report: dict) -> dict:
        results = report.get("report", {}).get("results", [])
        return next((r for r in results if r["name"] == "network.policy"), {})

    report = guest.wait_report(
        lambda r: r.get("event") == "hwcheck" and policy_of(r).get("status") not in (None, "skip"),
        SCREEN_TIMEOUT,
        "hwcheck of the network policy",
    )
    policy = policy_of(report)
    assert policy["status"] == "fail" and policy["code"] == "E-NETPOLICY", policy
    assert "display.rotation" in policy["details"]["reason"], policy


def test_the_screen_names_the_key_and_the_line(mistake):
    guest, _, line = mistake
    tree = guest.wait_screen("out-of-service", SCREEN_TIMEOUT)
    labels = " ".join(widget.get("label", "") for widget in tree["widgets"])
    assert "E-CFG" in labels
    assert "display.rotation" in labels and str(line) in labels
    shot = wait_picture(guest, BUILD / "qemu-broken-config.png", lambda p: len(colours(p)) >= 8)
    assert len(colours(shot)) >= 8, f"{shot} is blank"
