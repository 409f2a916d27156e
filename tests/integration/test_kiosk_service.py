"""The real kiosk process and a technician's dongle: what the dongle reader (root's unit)
writes opens the service menu over a citizen's screen, pulling the stick closes it, a
refused dongle says why for a few seconds; everything done is in the audit log."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
import releases
from kiosk_driver import kiosks

from appliance.said import Said
from appliance.service import audit
from appliance.service.dongle import publish
from appliance.service.visit import OPEN, REFUSED, Visit
from appliance.store import Outbox

DESC = "EP0430M09.desc"
VISIT = Visit("v-open", OPEN, "sda1", "Camille Martin", "3f9c0a1b2d4e5f60", "2027-01-05T09:00:00Z")


@pytest.fixture
def kiosk(tmp_path, touch_fixtures):
    with kiosks(tmp_path, touch_fixtures / DESC) as start:
        yield start()


@pytest.fixture
def dongle(tmp_path) -> Visit:
    """VISIT on a stick that is plugged: the kiosk closes the menu of a stick whose device
    is gone (on the totem, from sysfs; here, an image file)."""
    device = tmp_path / "dongle.img"
    device.write_bytes(b"")
    return replace(VISIT, device=str(device))


def test_a_valid_dongle_opens_the_menu_and_pulling_it_out_closes_it(kiosk, dongle):
    kiosk.tap(kiosk.widget("button", "commencer"))
    kiosk.tap(kiosk.widget("button", "Boîte à idées"))
    plugged = time.monotonic()
    publish(dongle, kiosk.service_state)
    kiosk.screen("service")
    print(f"\nmenu shown {time.monotonic() - plugged:.2f} s after the reader's verdict")
    kiosk.widget("text", "Camille Martin")
    kiosk.tap(kiosk.widget("button", "Contributions en attente"))
    kiosk.widget("text", "En attente d'envoi : 0")
    kiosk.service_state.unlink()  # the stick pulled out: the reader's word is gone
    kiosk.screen("attract")
    assert not any("Camille" in w["label"] for w in kiosk.tree()["widgets"])
    events = [(e["event"], e.get("page") or e.get("why")) for e in audit.entries(kiosk.data_dir)]
    assert events == [
        ("service-opened", None),
        ("service-page", "outbox"),
        ("service-closed", "removed"),
    ]
    assert all(e["serial"] == VISIT.serial for e in audit.entries(kiosk.data_dir))


def test_a_stick_pulled_out_closes_the_menu_and_a_verdict_left_behind_opens_nothing(kiosk, dongle):
    publish(dongle, kiosk.service_state)
    kiosk.screen("service")
    Path(dongle.device).unlink()  # pulled out: its device is gone, the verdict stays
    kiosk.screen("attract")
    # A kiosk started again (or a verdict from a stick gone before it was read) opens
    # nothing for a stick that is not there.
    publish(replace(dongle, visit="v-stale"), kiosk.service_state)
    time.sleep(3)
    assert kiosk.tree()["screen"] == "attract"
    events = [(e["event"], e.get("why")) for e in audit.entries(kiosk.data_dir)]
    assert events == [("service-opened", None), ("service-closed", "removed")]


def test_a_refused_dongle_says_why_and_the_citizen_keeps_their_screen(kiosk):
    kiosk.tap(kiosk.widget("button", "commencer"))
    kiosk.tap(kiosk.widget("button", "Noter un service"))
    refused = Visit("v-refused", REFUSED, "sdb1", code="expired",
                    reason=Said("expired on 2026-01-01", "expirée le 2026-01-01"))  # fmt: skip
    publish(refused, kiosk.service_state)
    banner = kiosk.widget("text", "Clé refusée")
    assert banner["label"] == "Clé refusée : expirée le 2026-01-01"
    assert kiosk.tree()["screen"] == "rating"
    kiosk.wait_for(
        "the notice gone", lambda t: not any("refusée" in w["label"] for w in t["widgets"])
    )
    assert kiosk.tree()["screen"] == "rating"


def test_a_restart_asked_in_the_menu_is_audited_then_left_to_roots_unit(kiosk, dongle):
    publish(dongle, kiosk.service_state)
    kiosk.tap(kiosk.widget("button", "Redémarrer la borne"))
    kiosk.tap(kiosk.widget("button", "Redémarrer maintenant"))
    kiosk.widget("text", "Redémarrage en cours")
    request = kiosk.data_dir / "service" / "reboot-requested"
    assert request.is_file()  # what totem-service-reboot.path waits for
    events = [e["event"] for e in audit.entries(kiosk.data_dir)]
    assert events[-1] == "service-reboot" and events[0] == "service-opened"


def calibrate_with_every_touch_off_by(kiosk, dx: int) -> None:
    kiosk.tap(kiosk.widget("button", "Calibrage tactile"))
    for n in range(1, 6):
        x, y, w, h = kiosk.widget("image", f"Cible {n} sur 5")["rect"]
        kiosk.citizen.tap(x + w // 2 + dx, y + h // 2)
    kiosk.widget("text", "Calibrage appliqué et conservé.")


def test_a_calibration_applies_to_the_panel_at_once_and_is_kept(kiosk, dongle):
    publish(dongle, kiosk.service_state)
    calibrate_with_every_touch_off_by(kiosk, 50)  # a panel whose touches land 50 px right
    kept = kiosk.data_dir / "touch" / "calibration.json"
    matrix = json.loads(kept.read_text())["matrix"]
    assert abs(matrix[0] - 1) < 0.01 and abs(matrix[2] + 50 / 1079) < 0.004, matrix
    # Touched the same way again, the panel now lands on the targets: the same matrix.
    kiosk.tap(kiosk.widget("button", "Recommencer"))
    for n in range(1, 6):
        x, y, w, h = kiosk.widget("image", f"Cible {n} sur 5")["rect"]
        kiosk.citizen.tap(x + w // 2 + 50, y + h // 2)
    kiosk.widget("text", "Calibrage appliqué et conservé.")
    again = json.loads(kept.read_text())["matrix"]
    assert abs(again[2] + 50 / 1079) < 0.004, again
    kiosk.tap(kiosk.widget("button", "Réglage d'origine"))
    kiosk.widget("text", "Réglage d'origine rétabli.")
    assert not kept.exists()
    events = [e["event"] for e in audit.entries(kiosk.data_dir)]
    assert events.count("calibration-applied") == 2 and events[-1] == "calibration-undone"


def test_logs_exported_to_the_stick_carry_no_citizens_text(kiosk, tmp_path):
    stick = tmp_path / "stick.img"
    subprocess.run(["truncate", "-s", "8M", str(stick)], check=True)
    subprocess.run(["mkfs.vfat", str(stick)], check=True, capture_output=True)
    kiosk.tap(kiosk.widget("button", "commencer"))
    kiosk.tap(kiosk.widget("button", "Noter un service"))
    publish(replace(VISIT, device=str(stick)), kiosk.service_state)
    kiosk.tap(kiosk.widget("button", "Exporter les journaux"))
    kiosk.tap(kiosk.widget("button", "Exporter sur la clé"))
    kiosk.widget("text", "Export en cours")
    Outbox(kiosk.data_dir).add("idea", {"category": "x", "text": "SECRET-IDEA-42"},
                               kiosk_id="hall-01", content_version="demo")  # fmt: skip
    # What root's totem-service-export.path starts, here by hand:
    done = subprocess.run(
        [sys.executable, "-m", "appliance", "dongle", "export", "--data-dir", str(kiosk.data_dir),
         "--state", str(kiosk.service_state)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    shown = kiosk.widget("text", "Journaux copiés sur la clé dans TOTEM-LOGS/")
    folder = shown["label"].split(" dans ")[1].rstrip(".")
    listing = subprocess.run(["mdir", "-b", "-i", str(stick), f"::{folder}"],
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
    names = sorted(line.rsplit("/", 1)[-1] for line in listing.split())
    assert names == ["audit.jsonl", "hwcheck.json.missing", "journal.txt", "update-status.json"]
    copied = subprocess.run(["mtype", "-i", str(stick), f"::{folder}/audit.jsonl"],
                            capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "logs-export-asked" in copied
    whole = stick.read_bytes()
    assert b"SECRET-IDEA-42" not in whole
    assert not (kiosk.data_dir / "service" / "export-requested").exists()


def test_an_export_to_a_stick_that_cannot_take_it_says_why(kiosk, tmp_path):
    blank = tmp_path / "blank.img"
    blank.write_bytes(bytes(1 << 20))
    publish(replace(VISIT, device=str(blank)), kiosk.service_state)
    kiosk.tap(kiosk.widget("button", "Exporter les journaux"))
    kiosk.tap(kiosk.widget("button", "Exporter sur la clé"))
    kiosk.widget("text", "Export en cours")
    done = subprocess.run(
        [sys.executable, "-m", "appliance", "dongle", "export", "--data-dir", str(kiosk.data_dir),
         "--state", str(kiosk.service_state)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1 and "logs not exported" in done.stderr
    kiosk.widget("text", "Export impossible : la clé ne peut pas être écrite")
    assert audit.entries(kiosk.data_dir)[-1]["event"] == "logs-export-failed"


@pytest.mark.skipif(shutil.which("rauc") is None, reason="rauc is needed (make test installs it)")
def test_an_install_from_the_stick_shows_raucs_refusal_on_its_page(kiosk, tmp_path):
    key, cert = releases.other_key(tmp_path)  # not this totem's keyring
    forged = releases.tiny(tmp_path / "forged.raucb", "0.1.0+99", key, cert)
    stick = tmp_path / "stick.img"
    subprocess.run(["truncate", "-s", "16M", str(stick)], check=True)
    subprocess.run(["mkfs.vfat", str(stick)], check=True, capture_output=True)
    subprocess.run(["mcopy", "-i", str(stick), str(forged), "::totem.raucb"], check=True)
    publish(replace(VISIT, device=str(stick)), kiosk.service_state)
    kiosk.tap(kiosk.widget("button", "Mise à jour depuis la clé"))
    kiosk.tap(kiosk.widget("button", "Installer depuis la clé"))
    kiosk.widget("text", "Lecture de la clé")
    keyring = releases.signing_key(tmp_path / "town", "/O=Mairie/CN=Totem update key")[1]
    # What root's totem-service-install.path starts, here by hand:
    done = subprocess.run(
        [sys.executable, "-m", "appliance", "dongle", "install", "--data-dir",
         str(kiosk.data_dir), "--state", str(kiosk.service_state), "--keyring", str(keyring)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1 and "signature" in done.stderr
    shown = kiosk.widget("text", "Mise à jour impossible : non installée : bundle signature")
    assert "keyring" in shown["label"]
    events = [e["event"] for e in audit.entries(kiosk.data_dir)]
    assert events[-2:] == ["stick-install-asked", "stick-install-failed"]


def test_a_release_installed_from_the_stick_is_restarted_into_on_trial(kiosk, dongle):
    from appliance.service import errands, install

    publish(dongle, kiosk.service_state)
    kiosk.tap(kiosk.widget("button", "Mise à jour depuis la clé"))
    kiosk.tap(kiosk.widget("button", "Installer depuis la clé"))
    # What `totem dongle install` answers once RAUC installed the stick's release:
    answer = kiosk.service_state.parent / install.RESULT
    errands.answer(answer, {"visit": dongle.visit, "ok": True, "state": "installed",
                            "version": "0.1.0+11"})  # fmt: skip
    kiosk.widget("text", "Version 0.1.0+11 installée")
    kiosk.tap(kiosk.widget("button", "Redémarrer pour l'essayer"))
    kiosk.widget("text", "Redémarrage en cours")
    # What totem-update-restart.path waits for (it restarts with reboot "0 tryboot").
    request = kiosk.data_dir / "update" / "restart-requested"
    assert request.read_text() == "0.1.0+11"
    assert audit.entries(kiosk.data_dir)[-1]["event"] == "service-trial-restart"
