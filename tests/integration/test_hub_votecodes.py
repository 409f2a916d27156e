"""Votes with single-use codes: the code is checked and burnt, and nothing links it to the ballot.

The voters' list (codes) and the ballot box (ballots) are separate tables; these tests look
at what an administrator with the database file in hand could see.
"""

from __future__ import annotations

import html
import re

import pytest
from hub_support import Kiosk, agent_login
from sqlalchemy import inspect
from sqlalchemy.exc import OperationalError

from hub import agents, content, export, votecodes

CONSULTATION = "place-du-marche"


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


def test_a_code_typed_on_two_offline_kiosks_counts_once_and_the_second_is_refused(hub):
    """Kiosks cannot check codes (the hub keeps only hashes), so an offline kiosk keeps the
    ballot in its outbox; the first ballot to reach the hub burns the code, the other is
    refused when it arrives and counted as refused."""
    first, second = Kiosk(hub, "hall-01"), Kiosk(hub, "annexe-02")
    assert first.enrol().status_code == 201 and second.enrol().status_code == 201
    (code,) = votecodes.issue_codes(hub.engine, CONSULTATION, 1)
    assert vote(first, "oui", code)["status"] == "stored"
    refused = vote(second, "non", code)
    assert refused["status"] == "rejected" and "already used" in refused["error"]
    assert vote(second, "non", "ZZZZZ-ZZZZZ")["status"] == "rejected"
    with hub.engine.connect() as connection:
        assert votecodes.ballot_counts(connection) == {CONSULTATION: {"oui": 1}}
        assert votecodes.refusal_counts(connection) == {CONSULTATION: 2}
    columns = {c["name"] for c in inspect(hub.engine).get_columns("ballot_refusals")}
    assert columns == {"refusal_id", "consultation", "day"}  # nothing of the code or choice


def by_id(consultations: list[dict], wanted: str) -> dict:
    return next(c for c in consultations if c["id"] == wanted)


def test_the_hub_publishes_a_consultation_with_codes_as_needing_a_code(hub):
    before = content.republish(hub.engine).content
    assert not by_id(before["consultations"], CONSULTATION)["requires_code"]
    votecodes.issue_codes(hub.engine, CONSULTATION, 1)
    after = content.republish(hub.engine).content
    assert by_id(after["consultations"], CONSULTATION)["requires_code"] is True
    assert not by_id(after["consultations"], "horaires-mediatheque")["requires_code"]


def test_results_say_vote_with_codes_or_opinion_poll(hub, kiosk):
    agents.set_agent(hub.engine, "marie", "une phrase de passe longue")
    kiosk.upload([kiosk.submission("vote", {"consultation": CONSULTATION, "choice": "oui"})])
    code = votecodes.issue_codes(hub.engine, "horaires-mediatheque", 3)[0]
    for choice in ("soir", "midi"):  # the same code twice: the second ballot is refused
        payload = {"consultation": "horaires-mediatheque", "choice": choice, "code": code}
        kiosk.upload([kiosk.submission("vote", payload)])
    session, _ = agent_login(hub, "marie", "une phrase de passe longue")
    page = html.unescape(session.get(f"{hub.url}/consultations", timeout=10).text)
    cards = {card.split("</h2>")[0]: card for card in page.split("<h2>")[1:]}
    poll = cards["Faut-il rendre la place du Marché piétonne le samedi ?"]
    coded = cards["Quels horaires préférez-vous pour la médiathèque ?"]
    assert "Sondage d'opinion" in poll and "ce n'est pas un vote" in poll
    assert "1 avis" in poll and "Vote avec code" not in poll
    assert "Vote avec code" in coded and "1 vote ·" in coded
    assert "1 code utilisé sur 3" in coded and "1 bulletin refusé" in coded
    assert "Ouverture jusqu'à 20 h" in coded and "100 %" in coded
