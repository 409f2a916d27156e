"""The on-screen keyboard: accents on long press, shift, digits, backspace."""

from __future__ import annotations

from ui_citizen import Citizen

from appliance.ui.keyboard import BACKSPACE, PAGE, SHIFT, SPACE, Keyboard


def on_idea_keyboard() -> Citizen:
    citizen = Citizen()
    citizen.open_idea_keyboard()
    return citizen


def typed(citizen: Citizen) -> str:
    return citizen.find("textbox", "Votre idée")["state"]["value"]


def test_keys_are_labelled_with_their_character_and_french_names():
    citizen = on_idea_keyboard()
    labels = {w["label"] for w in citizen.widgets("key")}
    assert set("azertyuiopqsdfghjklmwxcvbn") <= labels
    assert {"espace", "effacer", "majuscule"} <= labels


def test_long_press_on_e_opens_accents_that_stay_open_and_a_tap_types_one():
    citizen = on_idea_keyboard()
    citizen.long_press("key", "e")
    citizen.app.handle(type("G", (), {"kind": "cancel", "x": 0, "y": 0, "t": 0})())  # lift
    accents = [w["label"] for w in citizen.widgets("key") if w["id"].startswith("accent-")]
    assert {"é", "è", "ê", "ë"} <= set(accents)
    assert typed(citizen) == ""  # the long press itself typed nothing
    citizen.tap("key", "é", exact=True)
    assert typed(citizen) == "é"
    assert not [w for w in citizen.widgets("key") if w["id"].startswith("accent-é")]


def test_a_touch_beside_the_accents_closes_them_without_typing():
    citizen = on_idea_keyboard()
    citizen.long_press("key", "a")
    citizen.tap("heading", "Écrivez")  # nothing interactive there
    citizen.touch(citizen.find("textbox", "Votre idée"))
    assert not [w for w in citizen.widgets("key") if w["id"].startswith("accent-")]
    assert typed(citizen) == ""


def test_shift_capitalises_one_letter_then_releases():
    citizen = on_idea_keyboard()
    citizen.tap("key", "majuscule", exact=True)
    assert citizen.find("key", "majuscule")["state"]["checked"] is True
    citizen.tap("key", "B", exact=True)
    citizen.type("on")
    assert typed(citizen) == "Bon"


def test_digits_page_and_backspace():
    citizen = on_idea_keyboard()
    citizen.tap("key", "chiffres", exact=True)
    citizen.type("75001")
    citizen.tap("key", "effacer", exact=True)
    citizen.tap("key", "lettres", exact=True)
    citizen.type(" ok")
    assert typed(citizen) == "7500 ok"


def test_keyboard_state_machine():
    kb = Keyboard(max_length=5)
    kb.press(SHIFT)
    assert kb.rows()[0].startswith("AZERTY")
    assert kb.long_press("O") and kb.accents() == "ÔÖŒ"
    kb.choose_accent("Œ")
    assert kb.popup is None and not kb.shift
    kb.press(SPACE)
    kb.press(PAGE)
    assert not kb.long_press("1")  # digits have no accents
    for key in "12345":
        kb.press(key)
    assert kb.text == "Œ 123"  # capped at max_length
    kb.press(BACKSPACE)
    assert kb.text == "Œ 12"


def test_the_digits_page_has_each_key_once():
    citizen = on_idea_keyboard()
    citizen.tap("key", "chiffres")
    labels = [w["label"] for w in citizen.widgets("key")]
    assert len(labels) == len(set(labels)), sorted(
        label for label in labels if labels.count(label) > 1
    )
    assert "." in labels and "," in labels and "5" in labels
