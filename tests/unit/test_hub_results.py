"""Consultation results from plain rows: a vote counts ballots, a poll counts answers."""

from __future__ import annotations

from hub.reports import consultation_results

YES_NO = [{"id": "oui", "label": {"fr": "Oui"}}, {"id": "non", "label": {"fr": "Non"}}]
CONTENT = {
    "consultations": [
        {
            "id": "parc",
            "question": {"fr": "Un parc ?"},
            "choices": YES_NO,
        },
        {
            "id": "piscine",
            "question": {"fr": "Une piscine ?"},
            "choices": YES_NO,
        },
    ]
}


def answer(consultation: str, choice: str) -> dict:
    return {"payload": {"consultation": consultation, "choice": choice}}


def sealed(consultation: str) -> dict:
    return {"payload": {"consultation": consultation, "ballot": "sealed"}}


def test_a_poll_counts_every_answer_and_is_not_a_vote():
    (parc, _) = consultation_results(
        [answer("parc", "oui"), answer("parc", "oui"), answer("parc", "non")], {}, {}, CONTENT
    )
    assert not parc.is_vote
    assert parc.total == 3 and parc.choices == [("Oui", 2, 67), ("Non", 1, 33)]


def test_a_vote_counts_only_sealed_ballots_and_sets_earlier_answers_apart():
    rows = [answer("piscine", "non"), sealed("piscine"), sealed("piscine")]
    results = consultation_results(
        rows, {"piscine": {"oui": 2}}, {"piscine": (10, 2)}, CONTENT, {"piscine": 3}
    )
    piscine = next(r for r in results if r.consultation == "piscine")
    assert piscine.is_vote and piscine.codes == (10, 2)
    assert piscine.total == 2 and piscine.choices == [("Oui", 2, 100), ("Non", 0, 0)]
    assert piscine.set_apart == 1 and piscine.refused == 3


def test_an_unknown_consultation_is_shown_under_its_id():
    (result,) = consultation_results([answer("ancienne", "x")], {}, {}, {"consultations": []})
    assert result.question == "ancienne" and result.choices == [("x", 1, 100)]
