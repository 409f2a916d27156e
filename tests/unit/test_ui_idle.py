"""When the citizen walks away: idle time, countdown, then everything is wiped."""

from __future__ import annotations

from ui_citizen import Citizen

from appliance.said import Problem, Said


def citizen_typing_in_english() -> Citizen:
    citizen = Citizen()
    citizen.start()
    citizen.tap("button", "Langue")
    citizen.tap("button", "Contrast")
    citizen.tap("button", "Idea box")
    citizen.tap("option", "Transport")
    citizen.tap("button", "Next")
    citizen.type("secret")
    return citizen


def test_nothing_is_pending_on_the_attract_screen():
    citizen = Citizen()
    assert citizen.app.next_deadline() is None
    citizen.start()
    assert citizen.app.next_deadline() == citizen.clock.now + 60


def test_idle_shows_a_countdown_with_one_large_continue_button():
    citizen = citizen_typing_in_english()
    citizen.wait(61)
    tree = citizen.app.a11y_tree()
    buttons = [w for w in tree["widgets"] if w["role"] == "button"]
    assert [b["label"] for b in buttons] == ["Continue"]
    assert buttons[0]["rect"][3] >= 128
    assert citizen.find("text", "19 s")
    citizen.wait(5)
    assert citizen.find("text", "14 s")


def test_continue_keeps_the_session():
    citizen = citizen_typing_in_english()
    citizen.wait(70)
    citizen.tap("button", "Continue")
    assert citizen.find("textbox", "Your idea")["state"]["value"] == "secret"
    citizen.wait(59)
    assert citizen.find("textbox", "Your idea")


def test_after_the_countdown_text_language_and_choices_are_wiped():
    citizen = citizen_typing_in_english()
    citizen.wait(60 + 20 + 1)
    app = citizen.app
    assert app.screen_name == "attract"
    assert app.lang == "fr"
    assert app.session.high_contrast is False
    assert not any("secret" in str(w) for w in app.a11y_tree()["widgets"])
    citizen.start()
    citizen.tap("button", "Boîte à idées")
    assert not any(w["state"]["selected"] for w in citizen.widgets("option"))
    citizen.tap("option", "Mobilité")
    citizen.tap("button", "Suivant")
    assert citizen.find("textbox", "Votre idée")["state"]["value"] == ""
    assert app.next_deadline() is not None


def test_votes_are_forgotten_with_the_session():
    citizen = Citizen()
    citizen.start()
    citizen.app.session.voted.add("place-du-marche")
    citizen.wait(90)
    citizen.start()
    citizen.tap("button", "consultation")
    assert citizen.find("option", "place du Marché")["enabled"] is True


def test_out_of_service_stays_until_the_problem_is_gone():
    citizen = Citizen()
    citizen.app.set_out_of_service(
        Problem("E-CFG", Said.from_json({"fr": "display.size invalide"}))
    )
    assert citizen.app.screen_name == "out-of-service"
    assert citizen.find("text", "E-CFG")
    assert citizen.find("text", "display.size invalide")
    assert citizen.find("button", "Accueil")["enabled"] is False
    assert citizen.app.next_deadline() is None
    citizen.app.set_out_of_service(None)
    assert citizen.app.screen_name == "attract"


def test_choices_made_on_the_attract_screen_are_forgotten_too():
    citizen = Citizen()
    citizen.tap("button", "Contraste")
    assert citizen.app.session.high_contrast is True
    citizen.wait(61)
    assert citizen.app.session.high_contrast is False
    assert citizen.app.next_deadline() is None


def test_the_countdown_shows_every_second_even_when_the_loop_wakes_late():
    # The kiosk's loop sleeps until next_deadline() and wakes a few milliseconds after it;
    # only then does it ask again whether the deadline has passed, and tick.
    citizen = citizen_typing_in_english()
    app = citizen.app
    shown = []
    for _ in range(200):
        citizen.clock.now = app.next_deadline() + 0.004
        deadline = app.next_deadline()
        if deadline is not None and deadline <= citizen.clock.now:
            app.tick(citizen.clock.now)
        if app.screen_name == "attract":
            break
        texts = [w["label"] for w in app.a11y_tree()["widgets"] if w["id"] == "idle-countdown"]
        if texts and (not shown or shown[-1] != texts[0]):
            shown.append(texts[0])
    assert shown == [f"Everything will be wiped in {n} s." for n in range(20, 0, -1)]
    assert app.screen_name == "attract"


def test_thanks_goes_back_to_attract_by_itself_and_forgets_the_citizen():
    citizen = Citizen()
    citizen.open_idea_keyboard()
    citizen.tap("button", "Contraste")  # a choice of this citizen's, to be forgotten too
    citizen.type("plus de bus le dimanche")
    citizen.tap("button", "Suivant")
    citizen.tap("button", "Envoyer")
    assert citizen.app.screen_name == "thanks"
    citizen.wait(5)
    assert citizen.app.screen_name == "thanks"
    citizen.wait(6)
    assert citizen.app.screen_name == "attract"
    assert citizen.app.session.high_contrast is False
    assert not any("bus le dimanche" in str(w) for w in citizen.app.a11y_tree()["widgets"])
