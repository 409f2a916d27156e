"""The tryboot restart's bookkeeping (appliance/update/trial.py) on plain files: one
restart per release, and a restart still under way is not taken for one that failed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from appliance.hwcheck.report import read_report, write_report
from appliance.hwcheck.result import fail, ok
from appliance.update import health, trial


@pytest.fixture
def boot(monkeypatch):
    """This start's boot id, changed by the test as a restart would."""
    current = {"id": "boot-1"}
    monkeypatch.setattr(trial, "current_boot_id", lambda: current["id"])
    return current


@pytest.fixture
def restarts(monkeypatch, tmp_path):
    """`totem update restart` with a slot waiting for its trial; the reboots it ran."""
    made: list[list[str]] = []
    monkeypatch.setattr(trial, "trial_pending", lambda paths: True)
    monkeypatch.setattr(trial.subprocess, "run", lambda command, check: made.append(command))
    return made


def test_a_restart_under_way_is_not_a_restart_that_failed(tmp_path, boot, restarts):
    trial.request_restart(tmp_path, "0.1.0+12")
    assert trial.restart(tmp_path, paths=None) == "restarting into release 0.1.0+12 on trial"
    assert restarts == [["systemctl", "reboot", "--reboot-argument=0 tryboot"]]
    # Until the reboot ends this start, the sync must not call the trial a failure.
    assert not trial.already_asked(tmp_path, "0.1.0+12")


def test_the_old_slot_back_after_the_restart_means_no_trial_and_no_second_restart(
    tmp_path, boot, restarts
):
    trial.request_restart(tmp_path, "0.1.0+12")
    trial.restart(tmp_path, paths=None)
    boot["id"] = "boot-2"  # the firmware started the old slot again
    assert trial.already_asked(tmp_path, "0.1.0+12")
    assert not trial.already_asked(tmp_path, "0.1.0+13")  # a later release gets its restart
    trial.request_restart(tmp_path, "0.1.0+12")
    assert "not again" in trial.restart(tmp_path, paths=None)
    assert len(restarts) == 1


def test_a_request_is_acted_on_once(tmp_path, boot, restarts):
    assert trial.restart(tmp_path, paths=None) == "no restart requested"
    trial.request_restart(tmp_path, "0.1.0+12")
    trial.restart(tmp_path, paths=None)
    assert trial.restart(tmp_path, paths=None) == "no restart requested"


def test_a_damaged_record_is_no_earlier_restart(tmp_path, boot):
    (tmp_path / "update").mkdir()
    (tmp_path / "update" / trial.TRYBOOT_ASKED).write_bytes(b"\xff{not json")
    assert not trial.already_asked(tmp_path, "0.1.0+12")


def test_the_health_check_reads_this_boots_hardware_report(tmp_path, boot, monkeypatch):
    """What observe() gathers for health.missing(): a real hwcheck.json of this boot with a
    critical failure, the UI as systemd shows it, a hub configured but not reached yet, and a
    data directory that is no mount point (the partition did not mount)."""
    # Only the data directory's report: not a fallback copy left in /run by another run.
    monkeypatch.setattr(trial, "read_report", lambda d: read_report(d, fallback_dir=None))
    write_report(
        tmp_path,
        [
            ok("touch", "Dalle tactile présente", "Touch panel present"),
            fail("data", "E-DATA", "Partition pleine", "Data partition full", critical=True),
        ],
    )  # stamped with this machine's boot id, which read_report compares
    monkeypatch.setattr(
        trial, "_unit", lambda unit, *props: {"ActiveState": "active", "NRestarts": "0"}
    )
    seen = trial.observe(SimpleNamespace(hub_host="hub.mairie.example"), tmp_path)
    assert seen.critical == ("E-DATA",) and seen.ui_active and seen.hwcheck_done
    assert not seen.data_writable and seen.hub_expected and not seen.hub_reached
    assert health.missing(seen) == [
        "critical hardware check failed: E-DATA",
        "the data partition is not mounted read-write",
        "the hub has not answered a heartbeat",
    ]
