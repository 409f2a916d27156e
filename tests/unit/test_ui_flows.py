"""A citizen goes through each flow by touch, finding widgets by role and French label."""

from __future__ import annotations

import pytest
from ui_citizen import Citizen

from appliance.store.outbox import OutboxError, OutboxFull

FLOW_BUTTONS = ("Suivant", "Envoyer", "Valider", "Confirmer", "Passer")


def test_a_touch_anywhere_on_the_attract_screen_wakes_the_kiosk():
    from appliance.touch.gestures import Gesture

    citizen = Citizen()
    citizen.app.handle(Gesture("tap", 540, 700, 0.0))
    assert citizen.app.screen_name == "home"


def test_home_tiles_lead_to_every_activity():
    citizen = Citizen()
    assert citizen.app.screen_name == "attract"
    citizen.start()
    assert citizen.app.screen_name == "home"
    for label, screen in (
        ("Boîte à idées", "ideas"),
        ("noter", "rating"),
        ("consultation", "consultation"),
        ("sites", "sites"),
    ):
        citizen.tap("button", label)
        assert citizen.app.screen_name == screen
        citizen.tap("button", "Accueil")
        assert citizen.app.screen_name == "home"


def test_an_idea_typed_with_accents_is_submitted_then_thanked():
    citizen = Citizen()
    citizen.start()
    citizen.tap("button", "Boîte à idées")
    citizen.tap("option", "Mobilité et stationnement")
    citizen.tap("button", "Suivant")
    citizen.type("Plus de v")
    citizen.long_press("key", "e")
    citizen.tap("key", "é", exact=True)
    citizen.type("los")
    citizen.tap("button", "Suivant")
    assert citizen.find("text", "Plus de vélos")
    citizen.tap("button", "Envoyer")
    assert citizen.sent == [
        ("idea", {"category": "mobilite", "text": "Plus de vélos", "language": "fr"})
    ]
    assert citizen.app.screen_name == "thanks"
    assert citizen.find("heading", "Merci")


def test_a_service_rated_four_stars_with_no_comment():
    citizen = Citizen()
    citizen.start()
    citizen.tap("button", "noter")
    assert citizen.find("button", "Suivant")["enabled"] is False
    citizen.tap("option", "Médiathèque")
    assert citizen.find("option", "Médiathèque")["state"]["selected"] is True
    citizen.tap("button", "Suivant")
    stars = citizen.widgets("star")
    assert len(stars) == 5
    citizen.touch(stars[3])
    stars = citizen.widgets("star")
    assert [s["state"]["checked"] for s in stars] == [True, True, True, True, False]
    assert all(s["state"]["value"] == 4 for s in stars)
    citizen.tap("button", "Suivant")
    citizen.tap("button", "Passer")
    citizen.tap("button", "Envoyer")
    assert citizen.sent == [("rating", {"service": "bibliotheque", "stars": 4, "language": "fr"})]
    assert citizen.find("heading", "Merci")


def test_one_answer_per_consultation_and_session():
    citizen = Citizen()
    citizen.start()
    citizen.tap("button", "consultation")
    citizen.tap("option", "place du Marché")
    citizen.tap("button", "Suivant")
    assert citizen.find("button", "Envoyer mon avis")["enabled"] is False
    citizen.tap("option", "Oui", exact=True)
    assert citizen.sent == []  # choosing is not answering
    citizen.tap("button", "Envoyer mon avis")
    ((kind, payload),) = citizen.sent
    session = payload.pop("session")  # random per citizen: the hub's one-vote-per-session key
    assert (kind, payload) == (
        "vote",
        {"consultation": "place-du-marche", "choice": "oui", "language": "fr"},
    )
    assert len(session) == 32 and session != Citizen().app.session.token
    assert citizen.find("heading", "Merci")
    citizen.tap("button", "Accueil")
    citizen.tap("button", "consultation")
    voted = citizen.find("option", "place du Marché")
    assert voted["enabled"] is False and voted["state"]["voted"] is True
    assert "déjà répondu" in voted["label"]
    citizen.touch(voted)
    assert citizen.find("button", "Suivant")["enabled"] is False
    assert citizen.find("option", "médiathèque")["enabled"] is True


def test_a_consultation_that_requires_a_code_asks_for_it():
    citizen = Citizen()
    content = dict(citizen.app.content)
    content["consultations"] = [dict(content["consultations"][0], requires_code=True)]
    citizen.app.set_content(content)
    citizen.start()
    citizen.tap("button", "consultation")
    citizen.tap("option", "place du Marché")
    citizen.tap("button", "Suivant")
    citizen.tap("option", "Non", exact=True)
    citizen.tap("button", "Valider")
    citizen.type("4821")  # the code keyboard opens on its digits page
    citizen.tap("button", "Confirmer")
    assert citizen.sent[0][1]["code"] == "4821"
    assert "si ce code n'a pas déjà servi" in citizen.find("text", "vote a bien")["label"]
    citizen.tap("button", "Accueil")
    citizen.tap("button", "consultation")
    assert "déjà voté" in citizen.find("option", "place du Marché")["label"]


def test_a_poll_says_opinion_and_a_coded_consultation_says_vote():
    """Without codes nothing tells two citizens from one coming back: the screen must not
    promise "un seul vote par personne", only a code can keep that promise."""
    citizen = Citizen()
    content = dict(citizen.app.content)
    poll, coded = content["consultations"][0], dict(content["consultations"][1])
    coded["requires_code"] = True
    citizen.app.set_content({**content, "consultations": [poll, coded]})
    citizen.start()
    citizen.tap("button", "consultation")
    citizen.tap("option", "place du Marché")
    citizen.tap("button", "Suivant")
    texts = " ".join(w["label"] for w in citizen.widgets("text"))
    assert "Sondage d'opinion" in texts and "Ce n'est pas un vote" in texts
    assert "un seul vote" not in texts.lower()
    assert citizen.find("button", "Envoyer mon avis")
    citizen.tap("option", "Oui", exact=True)
    citizen.tap("button", "Envoyer mon avis")
    assert citizen.find("text", "Votre avis a bien été enregistré")
    citizen.tap("button", "Accueil")
    citizen.tap("button", "consultation")
    citizen.tap("option", "médiathèque")
    citizen.tap("button", "Suivant")
    texts = " ".join(w["label"] for w in citizen.widgets("text"))
    assert "Vote avec code" in texts and "Sondage" not in texts
    assert citizen.find("button", "Valider")


def test_thanks_appears_only_after_the_submission_is_stored():
    seen = []

    def submit(kind, payload):
        seen.append(citizen.app.screen_name)

    citizen = Citizen(submit=submit)
    citizen.start()
    citizen.tap("button", "noter")
    citizen.tap("option", "État civil")
    citizen.tap("button", "Suivant")
    citizen.touch(citizen.widgets("star")[4])
    citizen.tap("button", "Suivant")
    citizen.tap("button", "Suivant")
    citizen.tap("button", "Envoyer")
    assert seen == ["rating"]
    assert citizen.app.screen_name == "thanks"


@pytest.mark.parametrize("error", [OutboxFull("disk full"), OutboxError("database locked")])
def test_a_failed_submission_shows_an_apology_not_thanks(error):
    def submit(kind, payload):
        raise error

    citizen = Citizen(submit=submit)
    citizen.start()
    citizen.tap("button", "Boîte à idées")
    citizen.tap("option", "Cadre de vie")
    citizen.tap("button", "Suivant")
    citizen.type("un banc au parc")
    citizen.tap("button", "Suivant")
    citizen.tap("button", "Envoyer")
    assert citizen.app.screen_name == "sorry"
    assert citizen.find("heading", "Désolé")
    assert citizen.find("text", "Rien de ce qui a déjà été envoyé n'est perdu")
    assert not [w for w in citizen.widgets() if "Merci" in w["label"]]


def test_language_switch_relabels_everything():
    citizen = Citizen()
    citizen.start()
    citizen.tap("button", "Langue")
    assert citizen.find("button", "Idea box")
    citizen.tap("button", "Idea box")
    assert citizen.find("button", "Next")


def test_accessibility_controls_change_what_is_drawn():
    citizen = Citizen()
    citizen.start()
    tile = citizen.find("button", "Boîte à idées")
    citizen.tap("button", "Position basse")
    low = citizen.find("button", "Boîte à idées")
    assert low["rect"][1] > tile["rect"][1]
    assert citizen.find("button", "Position basse")["state"]["checked"] is True
    citizen.tap("button", "Contraste")
    assert citizen.find("button", "Contraste")["state"]["checked"] is True
    heading = citizen.find("heading", "Bienvenue")
    citizen.tap("button", "Taille du texte")
    assert citizen.find("heading", "Bienvenue")["rect"][3] > heading["rect"][3]


def test_a_down_shows_the_pressed_target_at_once():
    from appliance.touch.gestures import Gesture

    citizen = Citizen()
    citizen.start()
    x, y, w, h = citizen.find("button", "Boîte à idées")["rect"]
    citizen.app.dirty = False
    citizen.app.handle(Gesture("down", x + w // 2, y + h // 2, 0.0))
    assert citizen.app.dirty and citizen.app.pressed == "tile-ideas"
    citizen.app.handle(Gesture("cancel", x + w // 2, y + h // 2, 0.1))
    assert citizen.app.pressed is None and citizen.app.screen_name == "home"


def test_a_long_list_of_services_is_shown_a_page_at_a_time():
    citizen = Citizen()
    content = dict(citizen.app.content)
    content["services"] = [
        {"id": f"s{n}", "label": {"fr": f"Service municipal numéro {n}"}} for n in range(1, 19)
    ]
    citizen.app.set_content(content)
    citizen.start()
    citizen.tap("button", "Taille du texte")
    citizen.tap("button", "Taille du texte")  # the largest text
    citizen.tap("button", "noter")
    seen = []
    while True:
        options = citizen.widgets("option")
        pager = citizen.find("button", "Autres choix")
        footer_top = min(w["rect"][1] for w in citizen.widgets("button") if w["id"] == "page-next")
        assert all(o["rect"][1] + o["rect"][3] <= footer_top for o in options)
        seen += [o["label"] for o in options]
        if not pager["enabled"]:
            break
        citizen.touch(pager)
    assert seen == [f"Service municipal numéro {n}" for n in range(1, 19)]
    citizen.tap("option", "numéro 18")
    citizen.tap("button", "Suivant")
    assert citizen.app.session.rating_service == "s18"


def test_next_waits_for_a_meaningful_idea_and_says_why_it_is_grey():
    citizen = Citizen()
    citizen.open_idea_keyboard()
    citizen.type("ok")
    assert citizen.find("button", "Suivant")["enabled"] is False
    assert citizen.find("text", "Encore 8 caractère(s) au moins")
    citizen.type("   ")  # spaces are not words
    assert citizen.find("button", "Suivant")["enabled"] is False
    citizen.type("des bancs")
    assert citizen.find("button", "Suivant")["enabled"] is True
    assert not [w for w in citizen.widgets("text") if "Encore" in w["label"]]
