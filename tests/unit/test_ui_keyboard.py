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
    assert set("AZERTYUIOPQSDFGHJKLMWXCVBN") <= labels  # a capital to start the text
    assert {"espace", "effacer", "majuscule"} <= labels
    citizen.tap("key", "B", exact=True)
    labels = {w["label"] for w in citizen.widgets("key")}
    assert set("azertyuiopqsdfghjklmwxcvbn") <= labels


def test_long_press_on_e_opens_accents_that_stay_open_and_a_tap_types_one():
    citizen = on_idea_keyboard()
    citizen.type("L")
    citizen.long_press("key", "e")
    citizen.app.handle(type("G", (), {"kind": "cancel", "x": 0, "y": 0, "t": 0})())  # lift
    accents = [w["label"] for w in citizen.widgets("key") if w["id"].startswith("accent-")]
    assert {"é", "è", "ê", "ë"} <= set(accents)
    assert typed(citizen) == "L"  # the long press itself typed nothing
    citizen.tap("key", "é", exact=True)
    assert typed(citizen) == "Lé"
    assert not [w for w in citizen.widgets("key") if w["id"].startswith("accent-é")]


def test_a_touch_beside_the_accents_closes_them_without_typing():
    citizen = on_idea_keyboard()
    citizen.long_press("key", "A")
    citizen.tap("heading", "Écrivez")  # nothing interactive there
    citizen.touch(citizen.find("textbox", "Votre idée"))
    assert not [w for w in citizen.widgets("key") if w["id"].startswith("accent-")]
    assert typed(citizen) == ""


def test_shift_capitalises_one_letter_then_releases():
    citizen = on_idea_keyboard()
    citizen.type("Bon ")
    citizen.tap("key", "majuscule", exact=True)
    assert citizen.find("key", "majuscule")["state"]["checked"] is True
    citizen.tap("key", "P", exact=True)
    assert citizen.find("key", "majuscule")["state"]["checked"] is False
    citizen.tap("key", "a", exact=True)
    assert typed(citizen) == "Bon Pa"


def test_a_capital_comes_by_itself_at_the_start_and_after_each_sentence():
    citizen = on_idea_keyboard()
    shift = citizen.find("key", "majuscule")
    assert shift["state"]["checked"] is True  # the citizen's first letter is a capital
    for key in "Un parc":  # no shift touched by hand: the keys show the case to type
        citizen.tap("key", {" ": "espace"}.get(key, key), exact=True)
    citizen.tap("key", ".", exact=True)
    citizen.tap("key", "espace", exact=True)
    assert citizen.find("key", "majuscule")["state"]["checked"] is True
    citizen.tap("key", "D", exact=True)
    assert typed(citizen) == "Un parc. D"


def test_auto_capital_follows_backspace_and_a_refused_capital():
    kb = Keyboard(auto_capital=True)
    assert kb.shift
    kb.press("M")
    kb.press("a")
    kb.press("i")
    kb.press("s")
    kb.press(SPACE)
    assert not kb.shift  # a space after a word is not a sentence start
    kb.press("?")
    kb.press(SPACE)
    assert kb.shift  # "Mais ? " then a capital (French spacing before "?")
    kb.press(BACKSPACE)
    assert not kb.shift  # back to "Mais ?": the automatic shift leaves again
    kb.press(SPACE)
    kb.press(SHIFT)  # the citizen wants lowercase here
    assert not kb.shift
    kb.press("x")
    assert kb.text == "Mais ? x" and not kb.shift
    while kb.text:
        kb.press(BACKSPACE)
    assert kb.shift  # an emptied text starts again with a capital
    kb.clear()
    assert kb.shift
    code = Keyboard()  # voting codes: no automatic capital
    assert not code.shift
    code.press("a")
    code.press(".")
    code.press(SPACE)
    assert not code.shift


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
