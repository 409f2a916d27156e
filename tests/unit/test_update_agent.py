"""The update agent's steps after a download: RAUC's answer, a power cut while it writes,
and when to ask for the restart (appliance/update/agent.py). RAUC itself runs in the QEMU
test (tests/system/test_qemu_update.py); here the installer is the agent's one seam."""

from __future__ import annotations

import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from appliance.update.agent import Updater
from appliance.update.rauc import InstallFailed


def downloaded(tmp_path, state="downloaded"):
    updater = Updater(tmp_path, Ed25519PrivateKey.generate().public_key(), "0.1.0+10")
    bundle = tmp_path / "update" / "bundles" / "0.1.0+11.raucb"
    bundle.parent.mkdir(parents=True)
    bundle.write_bytes(b"bundle")
    updater._set(state=state, offered="0.1.0+11", bundle=str(bundle))
    return updater, bundle


def test_an_installed_bundle_frees_its_space_and_waits_for_the_window(tmp_path):
    updater, bundle = downloaded(tmp_path)
    given = []
    status = updater.install(given.append)
    assert given == [bundle] and status["state"] == "installed" and not bundle.exists()
    assert updater.restart_due(may_restart=False) is False
    assert updater.restart_due(may_restart=True) is True
    assert updater.install(given.append)["state"] == "installed" and len(given) == 1


def test_a_bundle_rauc_refuses_is_reported_and_dropped(tmp_path):
    updater, bundle = downloaded(tmp_path)

    def refuse(_path):
        raise InstallFailed("bundle signature refused (not signed by this totem's keyring)")

    status = updater.install(refuse)
    assert status["state"] == "rejected" and "signature" in status["reason"]
    assert not bundle.exists() and updater.restart_due(may_restart=True) is False
    report = updater.report()
    assert report["state"] == "rejected" and report["offered"] == "0.1.0+11"


def test_a_power_cut_while_rauc_writes_installs_again_at_the_next_pass(tmp_path):
    updater, bundle = downloaded(tmp_path, state="installing")
    given = []
    assert updater.install(given.append)["state"] == "installed" and given == [bundle]


def test_a_vanished_bundle_is_a_failure_not_a_crash(tmp_path):
    updater, bundle = downloaded(tmp_path)
    bundle.unlink()
    status = updater.install(lambda _path: None)
    assert status["state"] == "failed" and "disappeared" in status["reason"]


def test_once_the_new_release_runs_the_report_says_so(tmp_path):
    updater, _bundle = downloaded(tmp_path)
    updater.install(lambda _path: None)
    after = Updater(tmp_path, updater.content_key, "0.1.0+11")  # the trial start
    assert after.report()["state"] == "running" and after.restart_due(True) is False
    assert json.loads((tmp_path / "update" / "status.json").read_text())["state"] == "installed"


def test_a_trial_the_firmware_never_started_is_reported_and_not_retried(tmp_path):
    updater, _bundle = downloaded(tmp_path)
    updater.install(lambda _path: None)
    status = updater.trial_not_started()
    assert status["state"] == "given-up"
    assert "release 0.1.0+11 did not start on trial" in status["reason"]
    assert updater.restart_due(may_restart=True) is False
