"""The tryboot restart's bookkeeping (appliance/update/trial.py) on plain files: one
restart per release, and a restart still under way is not taken for one that failed."""

from __future__ import annotations

import pytest

from appliance.update import trial


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
