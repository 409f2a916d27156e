"""The kiosks' API over real HTTP on loopback: enrolment, uploads, heartbeats, content, refusals."""

from __future__ import annotations

import json
import time

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hub_support import Kiosk

from hub import export, store
from wire.content import validate_content
from wire.protocol import canonical_json, load_public_key, verify


@pytest.fixture
def kiosk(hub):
    kiosk = Kiosk(hub)
    assert kiosk.enrol().status_code == 201
    return kiosk


def test_enrolment_records_the_key_and_returns_the_content_key(hub):
    kiosk = Kiosk(hub)
    answer = kiosk.enrol()
    assert answer.status_code == 201
    assert answer.json()["kiosk_id"] == "hall-01"
    load_public_key(answer.json()["content_key"])


def test_a_kiosk_that_lost_the_answer_can_enrol_again_with_the_same_token(hub):
    kiosk = Kiosk(hub)
    token = "token-for-hall-01"
    store.create_kiosk_token(hub.engine, token)
    assert kiosk.enrol(token).status_code == 201
    assert kiosk.enrol(token).status_code == 201


def test_a_used_or_unknown_token_is_refused(hub):
    first = Kiosk(hub, "hall-01")
    token = store.create_kiosk_token(hub.engine)
    assert first.enrol(token).status_code == 201
    thief = Kiosk(hub, "hall-02")
    assert thief.enrol(token).status_code == 403
    assert Kiosk(hub, "hall-03").enrol("no-such-token").status_code == 403
    # Nor may another key take over the kiosk id with the used token.
    assert Kiosk(hub, "hall-01").enrol(token).status_code == 403


def test_an_upload_is_stored_once_and_a_replayed_id_is_a_duplicate(hub, kiosk):
    items = [kiosk.idea("Des bancs au parc"), kiosk.idea("Une piste cyclable")]
    first = kiosk.upload(items)
    assert first.status_code == 200
    assert [r["status"] for r in first.json()["results"]] == ["stored", "stored"]
    again = kiosk.upload(items)
    assert [r["status"] for r in again.json()["results"]] == ["duplicate", "duplicate"]
    stored = export.rows(hub.engine)
    assert sorted(r["id"] for r in stored) == sorted(i["id"] for i in items)
    assert stored[0]["payload"]["text"] in ("Des bancs au parc", "Une piste cyclable")


def test_one_bad_item_is_rejected_alone(hub, kiosk):
    good = kiosk.idea("Plus de poubelles")
    bad_id = dict(kiosk.idea("x"), id="not-a-uuid")
    bad_stars = kiosk.submission("rating", {"service": "cantine", "stars": 9})
    bad_kind = dict(kiosk.idea("y"), kind="petition")
    other_kiosk = dict(kiosk.idea("z"), kiosk_id="hall-99")
    answer = kiosk.upload([good, bad_id, bad_stars, bad_kind, other_kiosk, "nonsense"])
    results = answer.json()["results"]
    assert [r["status"] for r in results] == ["stored"] + ["rejected"] * 5
    assert all(r["error"] for r in results[1:])
    assert results[2]["id"] == bad_stars["id"]
    assert [r["id"] for r in export.rows(hub.engine)] == [good["id"]]


def test_one_vote_per_citizen_session(hub, kiosk):
    vote = {"consultation": "place-du-marche", "choice": "oui", "session": "s-1"}
    first = kiosk.submission("vote", vote)
    second = kiosk.submission("vote", dict(vote, choice="non"))
    other_session = kiosk.submission("vote", dict(vote, session="s-2"))
    statuses = [r["status"] for r in kiosk.upload([first, second, other_session]).json()["results"]]
    assert statuses == ["stored", "rejected", "stored"]


def test_heartbeat_is_recorded(hub, kiosk):
    report = {"version": "0.1.0", "uptime_s": 3600, "outbox_depth": 2, "checks": []}
    answer = kiosk.send("POST", "heartbeat", json.dumps(report).encode())
    assert answer.status_code == 200 and answer.json() == {}
    with hub.engine.connect() as connection:
        row = connection.exec_driver_sql("SELECT version, outbox_depth FROM kiosks").one()
    assert tuple(row) == ("0.1.0", 2)


def test_content_is_signed_by_the_town_hall_and_answers_304_when_unchanged(hub, kiosk):
    content_key = load_public_key(kiosk.enrol().json()["content_key"])
    answer = kiosk.send("GET", "content")
    assert answer.status_code == 200
    body = answer.json()
    validate_content(body["content"])
    assert verify(content_key, body["signature"], canonical_json(body["content"]))
    etag = answer.headers["ETag"]
    unchanged = kiosk.send("GET", "content", extra_headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.headers["ETag"] == etag


def test_forged_replayed_and_unknown_requests_get_401_and_the_hub_stays_up(hub, kiosk):
    body = json.dumps({"submissions": [kiosk.idea("Idée")]}).encode()
    forged = kiosk.send("POST", "submissions", body, key=Ed25519PrivateKey.generate())
    assert forged.status_code == 401
    old = kiosk.send("POST", "submissions", body, timestamp=int(time.time()) - 301)
    assert old.status_code == 401
    future = kiosk.send("POST", "submissions", body, timestamp=int(time.time()) + 301)
    assert future.status_code == 401
    assert kiosk.send("POST", "submissions", body, nonce="ab" * 8).status_code == 200
    assert kiosk.send("POST", "submissions", body, nonce="ab" * 8).status_code == 401
    stranger = Kiosk(hub, "hall-77")
    assert stranger.upload([stranger.idea("Bonjour")]).status_code == 401
    unsigned = requests.post(f"{hub.url}/api/v1/submissions", data=body, timeout=10)
    assert unsigned.status_code == 401
    assert "error" in forged.json()
    assert hub.alive()


def test_oversized_and_malformed_bodies_get_4xx_and_the_hub_stays_up(hub, kiosk):
    huge = json.dumps({"submissions": [kiosk.idea("a" * (1024 * 1024))]}).encode()
    assert kiosk.send("POST", "submissions", huge).status_code == 413
    assert kiosk.send("POST", "submissions", b"{not json", nonce="ef" * 8).status_code == 400
    assert kiosk.send("POST", "submissions", b"{not json", nonce="ef" * 8).status_code == 401
    assert kiosk.send("POST", "submissions", b"[1, 2]").status_code == 400
    assert kiosk.send("POST", "submissions", b'{"submissions": 3}').status_code == 400
    many = [kiosk.idea(f"idée {n}") for n in range(101)]
    assert kiosk.upload(many).status_code == 413
    assert kiosk.send("POST", "heartbeat", b"\xff\xfe").status_code == 400
    bad_enrol = requests.post(f"{hub.url}/api/v1/enrol", data=b"{", timeout=10)
    assert bad_enrol.status_code == 400
    assert hub.alive()
    assert kiosk.upload([kiosk.idea("toujours là")]).json()["results"][0]["status"] == "stored"


def test_refusals_are_logged(hub, kiosk, caplog):
    caplog.set_level("WARNING", logger="totem.hub")
    kiosk.send("POST", "submissions", b"{}", key=Ed25519PrivateKey.generate())
    assert any("bad signature" in r.getMessage() for r in caplog.records)
