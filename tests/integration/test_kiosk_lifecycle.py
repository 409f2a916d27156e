"""The kiosk process as systemd and installers see it: start-up, problems, reloads, stop."""

from __future__ import annotations

import json
import socket
import subprocess
import time

import pytest
from kiosk_driver import kiosks

from appliance.content import load_content
from appliance.hwcheck.report import write_report
from appliance.hwcheck.result import fail, ok
from appliance.runtime.headless import kiosk_command, kiosk_environment

DESC = "EP0430M09.desc"


@pytest.fixture
def kiosk(tmp_path, touch_fixtures):
    with kiosks(tmp_path, touch_fixtures / DESC) as start:
        yield start


def test_a_broken_totem_toml_shows_out_of_service_and_keeps_running(kiosk, tmp_path):
    config = tmp_path / "totem.toml"
    config.write_text('[site]\nname = "Mairie"\n\n[display]\nrotation = 45\n', encoding="utf-8")
    k = kiosk(config=config)
    tree = k.screen("out-of-service")
    labels = " ".join(w["label"] for w in tree["widgets"])
    assert "E-CFG" in labels
    time.sleep(1.0)
    assert k.process.poll() is None, "the kiosk keeps running with a broken totem.toml"
    k.citizen.tap(540, 960)  # touches change nothing
    time.sleep(0.5)
    assert k.tree()["screen"] == "out-of-service"
    assert k.terminate() == 0
    # The journal (the kiosk's stderr) says what the screen says, in both languages.
    logged = k.process.stderr.read()
    assert "out of service (E-CFG)" in logged
    assert "display.rotation (ligne 5) : doit valoir 0, 90, 180 ou 270" in logged
    assert "display.rotation (line 5): must be 0, 90, 180 or 270" in logged


def test_sigterm_stops_the_kiosk_cleanly(kiosk):
    k = kiosk()
    k.screen("attract")
    assert k.terminate() == 0
    assert k.process.stderr.read().count("Traceback") == 0


def test_garbage_in_the_touch_input_is_one_error_line_with_its_number(tmp_path, touch_fixtures):
    recording = tmp_path / "garbage.events"
    header = (touch_fixtures / DESC).read_text(encoding="utf-8")
    lines = header.rstrip("\n").split("\n")
    lines += ["E: 0.000001 0003 0039 0001", "this is not an event"]
    recording.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = subprocess.run(
        kiosk_command(recording, tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=60,
        env=kiosk_environment(),
    )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("totem")]
    assert len(errors) == 1 and f"line {len(lines)}" in errors[0], result.stderr
    assert "Traceback" not in result.stderr


def test_systemd_hears_ready_after_the_first_frame_then_watchdog_pings(kiosk, tmp_path):
    address = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as systemd:
        systemd.bind(address)
        systemd.settimeout(30)
        k = kiosk(env={"NOTIFY_SOCKET": address, "WATCHDOG_USEC": "400000"})
        messages = []
        while not any(m.startswith(b"WATCHDOG=1") for m in messages[1:]):
            messages.append(systemd.recv(4096))
        ready = next(m for m in messages if b"READY=1" in m)
        assert b"STATUS=screen attract" in ready
        assert k.a11y.exists(), "READY=1 comes after the first frame was drawn"
        assert k.terminate() == 0


def test_new_content_from_the_hub_shows_without_restart(kiosk, tmp_path):
    k = kiosk()
    k.screen("attract")
    content = load_content(None)
    content["version"] = "hub-7"
    content["idea_categories"][0]["label"]["fr"] = "Jardins partagés"
    cache = k.data_dir / "content.json"
    cache.write_text(json.dumps({"content": content, "signature": "", "etag": "7"}))
    k.tap(k.widget("button", "commencer"))
    k.tap(k.widget("button", "Boîte à idées"))
    k.widget("option", "Jardins partagés", timeout=30)
    assert k.terminate() == 0


def test_a_critical_hardware_failure_takes_the_kiosk_out_of_service_until_fixed(kiosk):
    k = kiosk()
    k.screen("attract")
    panel_missing = fail(
        "touch", "E-TOUCH", "Pas de dalle tactile", "No touch panel", critical=True
    )
    write_report(k.data_dir, [panel_missing])
    tree = k.screen("out-of-service", timeout=30)
    assert "E-TOUCH" in " ".join(w["label"] for w in tree["widgets"])
    write_report(k.data_dir, [ok("touch", "Dalle tactile présente", "Touch panel present")])
    k.screen("attract", timeout=30)
    assert k.terminate() == 0


def test_a_citizen_who_walks_away_is_forgotten_without_any_touch(kiosk, tmp_path):
    config = tmp_path / "totem.toml"
    config.write_text("[session]\nidle_seconds = 1\ncountdown_seconds = 2\n", encoding="utf-8")
    k = kiosk(config=config)
    k.tap(k.widget("button", "commencer"))
    k.tap(k.widget("button", "Boîte à idées"))
    k.widget("option", lambda label: True)
    k.widget("button", "Continuer", timeout=10)  # the loop woke up for the idle timer
    k.screen("attract", timeout=10)  # and again when the countdown ran out
    assert k.terminate() == 0
