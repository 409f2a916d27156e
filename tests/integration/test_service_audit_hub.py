"""What technicians do reaches the town hall: the kiosk's audit log rides the heartbeat of
the real `totem sync` to a real hub on loopback, is kept there once per entry, and the
agents' Bornes page lists it; a hub sent lies in the audit keeps the rest."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from hub_support import agent_login
from sync_support import kiosk_config, local_hub

from appliance.service import audit

TOTEM = [sys.executable, "-m", "appliance"]


@pytest.fixture
def hub(tmp_path):
    with local_hub(tmp_path / "hub") as hub:
        yield hub


def sync_once(tmp_path, data_dir) -> None:
    args = ["sync", "--config", str(tmp_path / "totem.toml"), "--data-dir", str(data_dir), "--once"]
    done = subprocess.run([*TOTEM, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def kept(hub) -> list[tuple]:
    with sqlite3.connect(hub.directory / "hub.sqlite3") as db:
        return db.execute(
            "SELECT seq, event, technician, serial FROM kiosk_audit ORDER BY seq"
        ).fetchall()


def test_the_audit_reaches_the_hub_once_and_the_bornes_page_lists_it(tmp_path, hub):
    data = tmp_path / "kiosk"
    who = {"technician": "Camille Martin", "serial": "3f9c0a1b2d4e5f60"}
    audit.record(data, "dongle-refused", code="expired", reason="expired on 2026-01-01")
    audit.record(data, "dongle-accepted", device="sda1", **who)
    audit.record(data, "service-page", page="network", **who)
    kiosk_config(tmp_path, hub.url, hub.create_kiosk_token())
    sync_once(tmp_path, data)
    assert [row[:2] for row in kept(hub)] == [
        (0, "dongle-refused"), (1, "dongle-accepted"), (2, "service-page"),
    ]  # fmt: skip
    audit.record(data, "service-closed", why="removed", **who)
    (data / "service" / "audit.sent").unlink()  # a cursor lost: everything is sent again
    sync_once(tmp_path, data)
    assert [row[1] for row in kept(hub)] == [
        "dongle-refused", "dongle-accepted", "service-page", "service-closed",
    ]  # fmt: skip
    hub.add_agent("marie", "un mot de passe assez long")
    session, status = agent_login(hub, "marie", "un mot de passe assez long")
    assert status == 200
    page = session.get(f"{hub.url}/bornes", timeout=10).text
    assert "Camille Martin (n° 3f9c0a1b2d4e5f60) · page consultée : network" in page
    assert "clé de maintenance refusée : expired on 2026-01-01" in page


def test_lies_in_a_heartbeats_audit_are_skipped_and_the_rest_kept(hub, tmp_path):
    from hub.audit import record
    from hub.database import open_engine

    engine = open_engine(f"sqlite:///{hub.directory / 'hub.sqlite3'}")
    entries = [
        "nonsense", {"seq": -1, "event": "x", "at": "t"}, {"seq": True, "event": "x", "at": "t"},
        {"seq": 5, "event": 3, "at": "t"}, {"seq": 6, "event": "service-page", "at": "t" * 500,
         "technician": "x" * 500, "page": {"nested": "object"}},
    ]  # fmt: skip
    assert record(engine, "hall-01", entries) == 1
    assert record(engine, "hall-01", {"not": "a list"}) == 0
    [(seq, event, technician, _)] = kept(hub)
    assert (seq, event, len(technician)) == (6, "service-page", 80)
