"""Delivery to a real hub over loopback, through a network that fails in every usual way."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime

import pytest
from fault_proxy import FAULTS, FaultProxy
from sync_support import exported_ids, kiosk_config, local_hub, queue_ideas

from appliance.content import CACHE_FILENAME
from appliance.store import Outbox
from appliance.sync.backoff import Backoff
from appliance.sync.client import HubError
from appliance.sync.service import SyncService, Timing

TOTEM = [sys.executable, "-m", "appliance"]


@pytest.fixture
def hub(tmp_path):
    with local_hub(tmp_path / "hub") as hub:
        yield hub


def sync_until_done(service: SyncService, max_failures: int = 2000) -> int:
    """Run passes as the daemon would (without its waits) until one succeeds; failures seen."""
    failures = 0
    while True:
        try:
            service.run_once()
            return failures
        except HubError:
            failures += 1
            assert failures < max_failures, "the sync never got through"


def test_2000_submissions_through_a_faulty_network_arrive_exactly_once(tmp_path, hub):
    kiosk = tmp_path / "kiosk"
    queued = queue_ideas(kiosk, 2000)
    faults = dict.fromkeys(FAULTS, 0.07) | {"hang": 0.02}
    with FaultProxy(hub.url, faults, seed=2026, hang_seconds=3.0) as proxy:
        config = kiosk_config(tmp_path, proxy.url, hub.create_kiosk_token())
        timing = Timing(timeout=(2.0, 2.5))
        with SyncService(config, kiosk, timing=timing, batch_size=20) as service:
            failures = sync_until_done(service)
    received = Counter(exported_ids(hub))
    assert set(received) == queued
    assert max(received.values()) == 1
    with Outbox(kiosk) as outbox:
        assert outbox.unsent_count() == 0
    assert failures > 0 and all(proxy.injected[fault] > 0 for fault in FAULTS), proxy.injected
    print(f"faults injected: {dict(proxy.injected)}; failed passes: {failures}")


def test_once_delivers_everything_then_exits_0_and_the_list_shows_it_sent(tmp_path, hub):
    kiosk = tmp_path / "kiosk"
    queued = queue_ideas(kiosk, 250)
    checks = [{"name": "touch", "status": "ok", "message": "ILITEK panel found"}]
    (kiosk / "hwcheck.json").write_text(json.dumps({"results": checks}))
    kiosk_config(tmp_path, hub.url, hub.create_kiosk_token())
    args = ["sync", "--config", str(tmp_path / "totem.toml"), "--data-dir", str(kiosk), "--once"]
    done = subprocess.run([*TOTEM, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert set(exported_ids(hub)) == queued
    listed = subprocess.run(
        [*TOTEM, "outbox", "list", "--data-dir", str(kiosk)], capture_output=True, text=True
    )
    items = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(items) == 250 and all(item["sent_at"] for item in items)
    enrolment = json.loads((kiosk / "enrolment.json").read_text())
    assert enrolment["kiosk_id"] == "hall-01" and enrolment["content_key"]
    with sqlite3.connect(hub.directory / "hub.sqlite3") as db:
        depth, reported = db.execute(
            "SELECT outbox_depth, checks FROM kiosks WHERE kiosk_id = 'hall-01'"
        ).fetchone()
    assert depth == 0 and json.loads(reported) == checks  # the heartbeat arrived
    # The hub's time became the clock's floor (no RTC on a Pi: dongles' expiry).
    floor = datetime.fromisoformat((kiosk / "clock-floor").read_text().strip())
    assert abs((floor - datetime.now(UTC)).total_seconds()) < 120


def test_once_with_the_hub_down_exits_1_with_one_line_and_keeps_everything(tmp_path, hub):
    kiosk = tmp_path / "kiosk"
    queue_ideas(kiosk, 3)
    kiosk_config(tmp_path, hub.url, hub.create_kiosk_token())
    hub.stop()
    args = ["sync", "--config", str(tmp_path / "totem.toml"), "--data-dir", str(kiosk), "--once"]
    done = subprocess.run([*TOTEM, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr
    assert "cannot reach" in done.stderr and "3 still pending" in done.stderr
    with Outbox(kiosk) as outbox:
        assert outbox.unsent_count() == 3


def test_a_hub_in_plain_http_on_another_machine_is_refused(tmp_path):
    kiosk_config(tmp_path, "http://192.0.2.10:8750", "token", load=False)
    args = ["sync", "--config", str(tmp_path / "totem.toml"), "--data-dir", str(tmp_path), "--once"]
    done = subprocess.run([*TOTEM, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "must start with https://" in done.stderr


def test_a_used_enrolment_token_is_refused_clearly(tmp_path, hub):
    token = hub.create_kiosk_token()
    first = kiosk_config(tmp_path, hub.url, token)
    with SyncService(first, tmp_path / "first") as service:
        service.run_once()
    with SyncService(first, tmp_path / "second") as service, pytest.raises(HubError) as refused:
        service.run_once()
    assert "refused the enrolment token" in str(refused.value)


def test_content_altered_on_the_way_is_refused_and_the_last_good_content_stays(tmp_path, hub):
    kiosk = tmp_path / "kiosk"
    forged = {"active": False}

    def forge(method, path, status, headers, body):
        if not (forged["active"] and path.endswith("/content")):
            return status, headers, body
        good = json.loads((kiosk / CACHE_FILENAME).read_text())
        good["content"]["version"] = "forged"
        headers = dict(headers, ETag='"forged"')
        return 200, headers, json.dumps({k: good[k] for k in ("content", "signature")}).encode()

    with FaultProxy(hub.url, tamper=forge) as proxy:
        config = kiosk_config(tmp_path, proxy.url, hub.create_kiosk_token())
        with SyncService(config, kiosk) as service:
            service.run_once()
            good = (kiosk / CACHE_FILENAME).read_bytes()
            forged["active"] = True
            assert service.refresh_content() is False
    assert (kiosk / CACHE_FILENAME).read_bytes() == good
    assert json.loads(good)["content"]["version"] != "forged"


def test_the_daemon_backs_off_while_the_hub_is_down_and_delivers_when_it_returns(tmp_path, hub):
    kiosk = tmp_path / "kiosk"
    config = kiosk_config(tmp_path, hub.url, hub.create_kiosk_token())
    hub.stop()
    queued = queue_ideas(kiosk, 20)
    stop, started = threading.Event(), []

    def daemon() -> None:  # SQLite connections belong to the thread that opened them
        timing, backoff = Timing(idle_poll=0.05), Backoff(base=0.05, cap=0.2)
        with SyncService(config, kiosk, timing=timing, backoff=backoff) as service:
            started.append(service)
            service.run_forever(stop)

    thread = threading.Thread(target=daemon)
    thread.start()
    try:
        while thread.is_alive() and not (started and started[0].backoff.failures >= 3):
            stop.wait(0.05)
        hub.start()
        with Outbox(kiosk) as outbox:
            while thread.is_alive() and outbox.unsent_count():
                stop.wait(0.05)
    finally:
        stop.set()
        thread.join()
    assert set(exported_ids(hub)) == queued
