"""Votes with single-use codes: the code is checked and burnt, and nothing links it to the ballot.

The voters' list (codes) and the ballot box (ballots) are separate tables; these tests look
at what an administrator with the database file in hand could see.
"""

from __future__ import annotations

import re

import pytest
from hub_support import Kiosk, RunningHub
from sqlalchemy import inspect
from sqlalchemy.exc import OperationalError

from hub import export, votecodes

CONSULTATION = "place-du-marche"


@pytest.fixture
def hub(tmp_path):
    running = RunningHub(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    yield running
    running.stop()


@pytest.fixture
def kiosk(hub):
    kiosk = Kiosk(hub)
    assert kiosk.enrol().status_code == 201
    return kiosk


def vote(kiosk: Kiosk, choice: str, code: str | None) -> dict:
    payload = {"consultation": CONSULTATION, "choice": choice}
    if code is not None:
        payload["code"] = code
    answer = kiosk.upload([kiosk.submission("vote", payload)])
    return answer.json()["results"][0]


def test_a_code_counts_once_and_is_then_burnt(hub, kiosk):
    code, other = votecodes.issue_codes(hub.engine, CONSULTATION, 2)
    assert vote(kiosk, "oui", code)["status"] == "stored"
    again = vote(kiosk, "non", code)
    assert again["status"] == "rejected" and "already used" in again["error"]
    # Codes are typed by people: case and the dash do not matter.
    assert vote(kiosk, "non", other.lower().replace("-", ""))["status"] == "stored"


def test_unknown_or_missing_codes_are_rejected_once_codes_exist(hub, kiosk):
    votecodes.issue_codes(hub.engine, CONSULTATION, 1)
    assert vote(kiosk, "oui", "AAAAA-AAAAA")["status"] == "rejected"
    missing = vote(kiosk, "oui", None)
    assert missing["status"] == "rejected" and "needs a voting code" in missing["error"]


def test_a_code_is_only_good_for_its_own_consultation(hub, kiosk):
    (code,) = votecodes.issue_codes(hub.engine, "horaires-mediatheque", 1)
    assert vote(kiosk, "oui", code)["status"] == "rejected"


def test_ballots_and_codes_share_no_column_but_the_consultation(hub):
    columns = {
        table: {c["name"] for c in inspect(hub.engine).get_columns(table)}
        for table in ("ballots", "vote_codes")
    }
    assert columns["ballots"] == {"ballot_id", "consultation", "choice", "day"}
    assert columns["vote_codes"] == {"code_hash", "consultation", "burnt"}
    assert columns["ballots"] & columns["vote_codes"] == {"consultation"}


def test_the_database_holds_no_code_in_clear_and_no_ballot_time_finer_than_the_day(
    hub, kiosk, tmp_path, caplog
):
    caplog.set_level("INFO")
    codes = votecodes.issue_codes(hub.engine, CONSULTATION, 5)
    for code in codes:
        assert vote(kiosk, "oui", code)["status"] == "stored"
    hub.engine.dispose()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("hub.sqlite3*"))
    for code in codes:
        for form in (code, code.replace("-", "")):
            assert form.encode() not in stored
            assert form not in caplog.text
    with hub.engine.connect() as connection:
        days = [d for (d,) in connection.exec_driver_sql("SELECT day FROM ballots")]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) for day in days)


def test_the_receipt_of_a_sealed_vote_keeps_neither_the_choice_nor_the_code(hub, kiosk):
    (code,) = votecodes.issue_codes(hub.engine, CONSULTATION, 1)
    vote(kiosk, "sans-avis", code)
    (receipt,) = export.rows(hub.engine, "vote")
    assert receipt["payload"] == {"consultation": CONSULTATION, "ballot": "sealed"}


def test_the_ballot_box_does_not_keep_the_order_of_arrival(hub, kiosk):
    codes = votecodes.issue_codes(hub.engine, CONSULTATION, 30)
    # Each choice names its rank, so any order an observer can read back would show.
    for rank, code in enumerate(codes):
        assert vote(kiosk, f"rank-{rank:02d}", code)["status"] == "stored"
    with hub.engine.connect() as connection:
        with pytest.raises(OperationalError):
            connection.exec_driver_sql("SELECT rowid FROM ballots")  # no hidden arrival order
        with pytest.raises(OperationalError):
            connection.exec_driver_sql("SELECT rowid FROM vote_codes")
        read_back = [c for (c,) in connection.exec_driver_sql("SELECT choice FROM ballots")]
        ids = [i for (i,) in connection.exec_driver_sql("SELECT ballot_id FROM ballots")]
    arrival = [f"rank-{rank:02d}" for rank in range(30)]
    assert sorted(read_back) == arrival
    assert read_back != arrival  # stored in the order of their random ids instead
    assert ids == sorted(ids)


def test_results_count_sealed_ballots_and_open_votes(hub, kiosk):
    (code,) = votecodes.issue_codes(hub.engine, "horaires-mediatheque", 1)
    kiosk.upload(
        [
            kiosk.submission(
                "vote", {"consultation": "horaires-mediatheque", "choice": "soir", "code": code}
            ),
            kiosk.submission("vote", {"consultation": CONSULTATION, "choice": "oui"}),
        ]
    )
    with hub.engine.connect() as connection:
        assert votecodes.ballot_counts(connection) == {"horaires-mediatheque": {"soir": 1}}
        assert votecodes.code_counts(connection) == {"horaires-mediatheque": (1, 1)}
