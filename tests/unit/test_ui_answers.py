"""The "Idées retenues" screen: what the town hall answered, from the signed content."""

from __future__ import annotations

import pytest

from appliance.ui.screenshots import make_app
from wire.content import ContentError, validate_content


def answered(n: int) -> list[dict]:
    return [
        {
            "text": f"Idée {i} pour la place du Marché",
            "status": "retenue",
            "answer": "Elle sera réalisée au printemps, avec les riverains.",
            "date": "2026-11-02",
        }
        for i in range(n)
    ]


def app_with(answers: list[dict], lang: str = "fr"):
    app = make_app(lang=lang)
    app.set_content({**app.content, "answers": answers})
    return app


def labels(app, role: str) -> list[str]:
    return [w["label"] for w in app.a11y_tree()["widgets"] if w["role"] == role]


def test_home_leads_to_the_answers_only_when_there_are_some():
    app = app_with(answered(1))
    app.show_screen("home")
    assert "Idées retenues" in labels(app, "button")
    empty = app_with([])
    empty.show_screen("home")
    assert "Idées retenues" not in labels(empty, "button")


def test_each_answer_shows_the_idea_its_status_and_the_answer():
    app = app_with(answered(1))
    app.show_screen("answers")
    assert labels(app, "text")[-1] == (
        "« Idée 0 pour la place du Marché »\n"
        "Retenue : Elle sera réalisée au printemps, avec les riverains."
    )
    english = app_with(answered(1), "en")
    english.show_screen("answers")
    assert labels(english, "text")[-1].splitlines()[1].startswith("Taken up: ")


def test_many_answers_are_shown_a_page_at_a_time():
    app = app_with(answered(30))
    app.show_screen("answers")
    first = [t for t in labels(app, "text") if t.startswith("«")]  # the cards
    assert 0 < len(first) < 30
    next_page = next(w for w in app.widgets() if w.id == "page-next")
    next_page.action()
    app.changed()
    second = [t for t in labels(app, "text") if t.startswith("«")]
    assert second and second[0] != first[0]


@pytest.mark.parametrize(
    "bad,complaint",
    [
        ({"status": "adoptee"}, "status must be one of"),
        ({"answer": ""}, "answer must be a text"),
        ({"text": "x" * 601}, "text must be a text of 1 to 600"),
    ],
)
def test_the_content_refuses_a_malformed_answer(bad, complaint):
    content = {**make_app().content, "answers": [{**answered(1)[0], **bad}]}
    with pytest.raises(ContentError, match=complaint):
        validate_content(content)
