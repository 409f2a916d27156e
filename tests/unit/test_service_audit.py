"""The technicians' audit log and the dongle reader's word to the kiosk, on plain files."""

from __future__ import annotations

import json

from appliance.said import Said
from appliance.service import audit
from appliance.service.visit import OPEN, REFUSED, Visit, encode, parse


def test_entries_are_appended_in_order_with_who_and_which_serial(tmp_path):
    audit.record(
        tmp_path, "dongle-accepted", technician="Camille", serial="3f9c0a1b", device="sda1"
    )
    audit.record(tmp_path, "service-page", technician="Camille", serial="3f9c0a1b", page="network")
    found = audit.entries(tmp_path)
    assert [e["event"] for e in found] == ["dongle-accepted", "service-page"]
    assert found[1]["technician"] == "Camille" and found[1]["page"] == "network"
    assert all(e["at"].endswith("+00:00") for e in found)
    assert audit.entries(tmp_path, skip=1) == found[1:]


def test_a_line_torn_by_a_power_cut_is_skipped_and_the_next_entry_stands_alone(tmp_path):
    audit.record(tmp_path, "dongle-accepted", serial="3f9c0a1b")
    with audit.audit_path(tmp_path).open("ab") as file:
        file.write(b'{"event": "service-pa')  # the cut: no newline
    audit.record(tmp_path, "service-closed", serial="3f9c0a1b", why="removed")
    assert [e["event"] for e in audit.entries(tmp_path)] == ["dongle-accepted", "service-closed"]


def test_no_log_yet_reads_as_empty(tmp_path):
    assert audit.entries(tmp_path) == []


def test_a_huge_detail_is_cut_to_one_line_not_refused(tmp_path):
    audit.record(tmp_path, "dongle-refused", reason="x" * 10_000)
    assert audit.audit_path(tmp_path).read_bytes().count(b"\n") == 1


def test_a_visit_survives_its_file_and_anything_else_is_no_dongle():
    visit = Visit("a1b2", REFUSED, "sdb1", code="expired", reason=Said("expired", "expirée"))
    assert parse(encode(visit)) == visit
    opened = Visit("c3d4", OPEN, "sda1", "Camille", "3f9c0a1b", "2027-01-05T09:00:00Z")
    assert parse(encode(opened)).opens
    for hostile in (
        b"", b"\xff\xfe", b"[]", b"{}", b'{"state": "open"}', b"x" * 10_000,
        json.dumps({"visit": "a", "state": "open", "device": 3}).encode(),
        json.dumps({"visit": "a", "state": "admin", "device": "sda"}).encode(),
    ):  # fmt: skip
        assert parse(hostile) is None, hostile
