"""An item the hub rejects leaves the queue, stays visible, and never blocks the others."""

from __future__ import annotations

import json

from appliance.cli import main
from appliance.store import Outbox


def add_idea(outbox: Outbox, text: str):
    return outbox.add("idea", {"text": text}, kiosk_id="hall-01", content_version="v1")


def test_a_rejected_item_leaves_the_pending_queue_with_the_hubs_reason(tmp_path):
    with Outbox(tmp_path) as outbox:
        bad, good = add_idea(outbox, "x" * 5), add_idea(outbox, "Des bancs")
        outbox.mark_rejected({bad.id: "text too short"})
        assert [s.id for s in outbox.pending()] == [good.id]
        assert outbox.unsent_count() == 1
        assert outbox.rejected_count() == 1
        (stored,) = [s for s in outbox.all() if s.id == bad.id]
    assert stored.error == "text too short"
    assert stored.sent_at is None and stored.rejected_at


def test_an_item_already_acknowledged_is_not_marked_rejected_afterwards(tmp_path):
    with Outbox(tmp_path) as outbox:
        item = add_idea(outbox, "Des bancs")
        outbox.mark_sent([item.id])
        outbox.mark_rejected({item.id: "late answer"})
        assert outbox.rejected_count() == 0


def test_what_the_hub_receives_carries_no_kiosk_bookkeeping(tmp_path):
    with Outbox(tmp_path) as outbox:
        item = add_idea(outbox, "Des bancs")
    assert set(item.upload_json()) == {
        "id",
        "kind",
        "created_at",
        "payload",
        "content_version",
        "kiosk_id",
    }


def test_outbox_list_shows_rejected_items_and_why(tmp_path, capsys):
    with Outbox(tmp_path) as outbox:
        item = add_idea(outbox, "Des bancs")
        outbox.mark_rejected({item.id: "unknown category"})
    assert main(["outbox", "list", "--data-dir", str(tmp_path)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    listed = json.loads(line)
    assert listed["error"] == "unknown category"
    assert listed["sent_at"] is None
