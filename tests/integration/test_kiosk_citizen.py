"""Done when (issue #2): a scripted citizen uses the real kiosk process through touch.

`totem run --video dummy --input evemu:FIFO --a11y-out F` runs as a subprocess; the
citizen reads F to find widgets by role and French label, touches their centres through
a real panel's event stream (decoder → gestures → UI), and what they submitted must be
in the outbox exactly once.
"""

from __future__ import annotations

import json

import pytest
from kiosk_driver import KioskProcess, kiosks

from appliance.ui.keyboard import ACCENTS

DESC = "EP0430M09.desc"  # a real MT protocol B panel (fixtures)
# The letter whose long press offers each accented character (the kiosk's own table).
ACCENT_OF = {accent: letter for letter, accents in ACCENTS.items() for accent in accents}


@pytest.fixture
def kiosk(tmp_path, touch_fixtures):
    with kiosks(tmp_path, touch_fixtures / DESC) as start:
        yield start


def signature(tree: dict) -> list:
    return [
        (w["id"], w["label"], w["enabled"], json.dumps(w.get("state"))) for w in tree["widgets"]
    ] + [tree["screen"]]


def tap_and_wait(k: KioskProcess, widget: dict) -> dict:
    """Touch a widget and wait until the screen answered (something changed)."""
    before = signature(k.tree())
    k.tap(widget)
    return k.wait_for(
        f"an answer to touching {widget['label']!r}",
        lambda tree: tree if signature(tree) != before else None,
    )


def next_step(k: KioskProcess, *labels: str) -> None:
    button = k.widget("button", lambda text: text in labels)
    tap_and_wait(k, button)


def go_home(k: KioskProcess) -> None:
    tree = k.wait_for("a first frame", lambda tree: tree)
    if tree["screen"] == "attract":
        k.tap(k.widget("button", "commencer"))
    elif tree["screen"] != "home":
        k.tap(k.widget("button", "Accueil", exact=True))
    k.screen("home")


def type_text(k: KioskProcess, text: str) -> None:
    """Type on the on-screen keyboard; accents through a long press on their letter."""
    typed = ""
    for char in text:
        if char == " ":
            k.tap(k.widget("key", "espace", exact=True))
        elif char in ACCENT_OF:
            base = ACCENT_OF[char]
            k.long_press(k.widget("key", base, exact=True))
            k.tap(k.widget("key", char, exact=True))  # the popup stays open after release
        else:
            k.tap(k.widget("key", char, exact=True))
        typed += char
        k.widget("textbox", lambda label: True, timeout=10)
        k.wait_for(
            f"the textbox to read {typed!r}",
            lambda tree, typed=typed: any(
                w["role"] == "textbox" and w.get("state", {}).get("value") == typed
                for w in tree["widgets"]
            ),
        )


def wait_for_thanks(k: KioskProcess) -> None:
    k.screen("thanks")
    k.widget("heading", "Merci")


def submit_an_idea(k: KioskProcess, text: str) -> None:
    go_home(k)
    tap_and_wait(k, k.widget("button", "Boîte à idées"))
    tap_and_wait(k, k.widget("option", lambda label: True))
    next_step(k, "Suivant")
    type_text(k, text)
    next_step(k, "Suivant")
    next_step(k, "Envoyer")
    wait_for_thanks(k)


def rate_a_service(k: KioskProcess, stars: int) -> None:
    go_home(k)
    tap_and_wait(k, k.widget("button", "noter"))
    tap_and_wait(k, k.widget("option", lambda label: True))
    next_step(k, "Suivant")
    stars_shown = k.wait_for(
        "five stars", lambda tree: [w for w in tree["widgets"] if w["role"] == "star"]
    )
    row = sorted(stars_shown, key=lambda w: w["rect"][0])
    assert len(row) == 5, "five stars to choose from"
    tap_and_wait(k, row[stars - 1])
    next_step(k, "Suivant")
    next_step(k, "Passer")  # no comment
    next_step(k, "Envoyer")
    wait_for_thanks(k)


def vote(k: KioskProcess) -> None:
    go_home(k)
    tap_and_wait(k, k.widget("button", "consultation"))
    tap_and_wait(k, k.widget("option", "place du Marché"))
    next_step(k, "Suivant")
    tap_and_wait(k, k.widget("option", "Oui", exact=True))
    next_step(k, "Envoyer mon avis", "Valider")
    wait_for_thanks(k)


def test_a_citizen_submits_an_idea_rates_a_service_and_votes(kiosk):
    k = kiosk()
    submit_an_idea(k, "Un café près de l'école")  # U: capital by itself
    rate_a_service(k, 4)
    vote(k)
    assert k.end_input() == 0, k.process.stderr.read()

    submissions = k.outbox()
    kinds = sorted(item["kind"] for item in submissions)
    assert kinds == ["idea", "rating", "vote"]
    by_kind = {item["kind"]: item for item in submissions}
    assert by_kind["idea"]["payload"]["text"] == "Un café près de l'école"
    assert by_kind["rating"]["payload"]["stars"] == 4
    assert by_kind["vote"]["payload"]["consultation"] == "place-du-marche"
    assert by_kind["vote"]["payload"]["choice"] == "oui"
    assert all(item["sent_at"] is None for item in submissions)
