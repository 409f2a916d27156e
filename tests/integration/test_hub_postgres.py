"""The same hub on a real PostgreSQL server: same code path as SQLite, started by the test."""

from __future__ import annotations

import json
import threading

import pytest
from hub_support import Kiosk, RunningHub, postgres_server

from hub import export, votecodes


@pytest.fixture(scope="module")
def hub():
    with postgres_server() as url:
        running = RunningHub(url)
        yield running
        running.stop()


def test_uploads_votes_content_and_refusals_on_postgresql(hub):
    kiosk = Kiosk(hub, "pg-hall")
    assert kiosk.enrol().status_code == 201
    items = [kiosk.idea("Des bancs au parc"), kiosk.idea("Un marché le samedi")]
    assert [r["status"] for r in kiosk.upload(items).json()["results"]] == ["stored"] * 2
    assert [r["status"] for r in kiosk.upload(items).json()["results"]] == ["duplicate"] * 2
    (code,) = votecodes.issue_codes(hub.engine, "place-du-marche", 1)
    ballot = kiosk.submission(
        "vote", {"consultation": "place-du-marche", "choice": "oui", "code": code}
    )
    reused = kiosk.submission(
        "vote", {"consultation": "place-du-marche", "choice": "non", "code": code}
    )
    statuses = [r["status"] for r in kiosk.upload([ballot, reused]).json()["results"]]
    assert statuses == ["stored", "rejected"]
    content = kiosk.send("GET", "content")
    assert content.status_code == 200
    etag = content.headers["ETag"]
    assert kiosk.send("GET", "content", extra_headers={"If-None-Match": etag}).status_code == 304
    assert kiosk.send("POST", "submissions", b"{oops").status_code == 400
    assert kiosk.send("POST", "submissions", b"{}", nonce="cd" * 8).status_code == 400
    assert kiosk.send("POST", "submissions", b"{}", nonce="cd" * 8).status_code == 401
    heartbeat = {"version": "0.1.0", "uptime_s": 1, "outbox_depth": 0, "checks": []}
    assert kiosk.send("POST", "heartbeat", json.dumps(heartbeat).encode()).status_code == 200
    kinds = sorted(r["kind"] for r in export.rows(hub.engine))
    assert kinds == ["idea", "idea", "vote"]


def test_two_kiosks_racing_with_the_same_batch_store_it_once(hub):
    kiosk = Kiosk(hub, "pg-race")
    assert kiosk.enrol().status_code == 201
    items = [kiosk.idea(f"idée {n}") for n in range(50)]
    answers = []

    def upload() -> None:
        answers.append(kiosk.upload(items).json()["results"])

    threads = [threading.Thread(target=upload) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 4
    stored = [r["id"] for results in answers for r in results if r["status"] == "stored"]
    assert sorted(stored) == sorted(i["id"] for i in items)
    ours = [r for r in export.rows(hub.engine) if r["kiosk_id"] == "pg-race"]
    assert len(ours) == 50
