"""The outbox keeps every submission until the hub acknowledged it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from appliance.store import Outbox, OutboxFull
from appliance.store import outbox as outbox_module


def add_idea(outbox: Outbox, text: str = "Des bancs place du Marché"):
    return outbox.add(
        "idea", {"category": "cadre-de-vie", "text": text}, kiosk_id="hall-01", content_version="v1"
    )


def test_a_stored_submission_is_read_back_from_another_connection(tmp_path):
    with Outbox(tmp_path) as outbox:
        stored = add_idea(outbox, "Plus d'arbres, s'il vous plaît — été comme hiver")
    with Outbox(tmp_path) as reopened:
        (item,) = reopened.all()
    assert item == stored
    assert item.sent_at is None
    assert item.payload["text"].endswith("hiver")


def test_the_file_is_in_wal_mode_with_full_sync(tmp_path):
    with Outbox(tmp_path) as outbox:
        mode = outbox._db.execute("PRAGMA journal_mode").fetchone()[0]
        sync = outbox._db.execute("PRAGMA synchronous").fetchone()[0]
    assert (mode, sync) == ("wal", 2)


def test_ids_are_unique_random_uuids(tmp_path):
    with Outbox(tmp_path) as outbox:
        ids = {add_idea(outbox).id for _ in range(50)}
    assert len(ids) == 50


def test_acknowledged_items_leave_the_pending_queue_and_keep_their_first_time(tmp_path):
    with Outbox(tmp_path) as outbox:
        first, second = add_idea(outbox), add_idea(outbox)
        outbox.mark_sent([first.id], "2026-01-01T00:00:00.000Z")
        outbox.mark_sent([first.id], "2026-02-01T00:00:00.000Z")
        assert [s.id for s in outbox.pending()] == [second.id]
        assert outbox.unsent_count() == 1
        assert {s.id: s.sent_at for s in outbox.all()}[first.id] == "2026-01-01T00:00:00.000Z"


def test_sent_items_are_purged_after_the_retention_period_only(tmp_path):
    with Outbox(tmp_path) as outbox:
        old, recent, unsent = add_idea(outbox), add_idea(outbox), add_idea(outbox)
        outbox.mark_sent([old.id], "2020-01-01T00:00:00.000Z")
        outbox.mark_sent([recent.id])
        assert outbox.purge_sent(datetime.now(UTC) + timedelta(days=1)) == 1
        assert {s.id for s in outbox.all()} == {recent.id, unsent.id}


def test_a_full_disk_refuses_new_submissions_and_keeps_stored_ones(tmp_path, monkeypatch):
    with Outbox(tmp_path) as outbox:
        kept = add_idea(outbox)
        monkeypatch.setattr(outbox_module, "MIN_FREE_BYTES", 1 << 62)
        with pytest.raises(OutboxFull):
            add_idea(outbox)
        assert [s.id for s in outbox.all()] == [kept.id]
        assert outbox.integrity_ok()


def test_an_unknown_kind_is_refused(tmp_path):
    with Outbox(tmp_path) as outbox, pytest.raises(ValueError):
        outbox.add("complaint", {}, kiosk_id="k", content_version="v")


def test_the_schema_itself_refuses_unknown_kinds(tmp_path):
    with Outbox(tmp_path) as outbox, pytest.raises(sqlite3.IntegrityError):
        outbox._db.execute(
            "INSERT INTO submissions VALUES ('x', 'spam', 't', '{}', 'v', 'k', NULL)"
        )


def test_a_votes_code_is_forgotten_once_the_hub_acknowledged_it(tmp_path):
    with Outbox(tmp_path) as outbox:
        vote = outbox.add(
            "vote",
            {"consultation": "place-du-marche", "choice": "oui", "code": "48213977"},
            kiosk_id="hall-01",
            content_version="v1",
        )
        assert outbox.pending()[0].payload["code"] == "48213977"
        outbox.mark_sent([vote.id])
        (stored,) = outbox.all()
    assert "code" not in stored.payload
    assert stored.payload["choice"] == "oui"
