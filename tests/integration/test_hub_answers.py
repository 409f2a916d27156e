"""Agents give an idea a status and a public answer; the kiosks get the answered ideas in
the next signed content. Agents filter, search and page through long lists of ideas."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests
from hub_support import Kiosk, RunningHub, agent_login

from hub import agents
from wire.content import validate_content

PASSWORD = "une phrase de passe longue"


@pytest.fixture()
def hub(tmp_path):
    running = RunningHub(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    agents.set_agent(running.engine, "marie", PASSWORD)
    yield running
    running.stop()


@pytest.fixture()
def kiosk(hub):
    kiosk = Kiosk(hub)
    assert kiosk.enrol().status_code == 201
    return kiosk


def logged_in(hub: RunningHub) -> requests.Session:
    session, status = agent_login(hub, "marie", PASSWORD)
    assert status == 200
    return session


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def answer(hub, session, idea_id, status, text="", **extra):
    page = session.get(f"{hub.url}/", timeout=10).text
    data = {"csrf": csrf_of(page), "status": status, "answer": text, **extra}
    return session.post(f"{hub.url}/idees/{idea_id}/reponse", data=data, timeout=30)


def test_a_public_answer_reaches_the_kiosks_in_the_signed_content(hub, kiosk):
    bench = kiosk.idea("des bancs dans le parc du Moulin")
    quiet = kiosk.idea("Une idée encore à l'étude")
    assert kiosk.upload([bench, quiet]).status_code == 200
    before = kiosk.send("GET", "content")
    by_hand = before.json()["content"]["answers"]  # the demo document's own (paper box) answers
    session = logged_in(hub)
    done = answer(hub, session, bench["id"], "retenue", "Six bancs posés au printemps.")
    assert done.status_code == 200 and done.url.endswith(f"#idee-{bench['id']}")
    assert answer(hub, session, quiet["id"], "etude").status_code == 200  # no public answer
    page = session.get(f"{hub.url}/", timeout=10).text
    assert "Retenue" in page and "Réponse publique : Six bancs posés au printemps." in page
    assert "À l&#39;étude" in page
    # The kiosk's next sync sees a new version (new ETag) carrying only the public answer.
    after = kiosk.send("GET", "content", extra_headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    content = after.json()["content"]
    validate_content(content)
    assert content["answers"][1:] == by_hand
    first = content["answers"][0]
    assert (first["text"], first["status"], first["answer"]) == (
        "Des bancs dans le parc du Moulin",
        "retenue",
        "Six bancs posés au printemps.",
    )
    # The agents' exports carry what the town hall made of each idea.
    exported = session.get(f"{hub.url}/export.csv?kind=idea&sep=;", timeout=10)
    rows = csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";")
    made = {row["text"]: (row["status"], row["answer"]) for row in rows}
    assert made == {
        "des bancs dans le parc du Moulin": ("retenue", "Six bancs posés au printemps."),
        "Une idée encore à l'étude": ("etude", ""),
    }
    # Withdrawing the answer withdraws it from the kiosks too.
    answer(hub, session, bench["id"], "retenue", "")
    assert kiosk.send("GET", "content").json()["content"]["answers"] == by_hand


def test_a_refused_answer_is_said_and_changes_nothing(hub, kiosk):
    idea = kiosk.idea("Un composteur de quartier")
    kiosk.upload([idea])
    session = logged_in(hub)
    etag = kiosk.send("GET", "content").headers["ETag"]
    too_long = answer(hub, session, idea["id"], "retenue", "x" * 601)
    assert too_long.status_code == 200
    assert "La réponse fait 601 caractères" in too_long.text
    unknown = answer(hub, session, idea["id"], "adoptee", "Oui")
    assert "Statut inconnu" in unknown.text
    missing = answer(hub, session, "00000000-0000-0000-0000-000000000000", "retenue", "Oui")
    assert "Cette idée n&#39;existe pas." in missing.text
    assert kiosk.send("GET", "content").headers["ETag"] == etag  # nothing republished
    page = session.get(f"{hub.url}/", timeout=10).text
    assert "Reçue" in page and "Statut inconnu" not in page  # the message is shown once
    # Without the form's token, nothing is accepted.
    forged = session.post(
        f"{hub.url}/idees/{idea['id']}/reponse", data={"status": "retenue"}, timeout=10
    )
    assert forged.status_code == 400
    anonymous = requests.post(
        f"{hub.url}/idees/{idea['id']}/reponse", data={"status": "retenue"}, timeout=10,
        allow_redirects=False,
    )  # fmt: skip
    assert anonymous.status_code == 302


def test_agents_filter_search_and_page_through_ideas(hub, kiosk):
    old = kiosk.idea("Réparer le vélo-partage de la gare")
    old["created_at"] = (datetime.now(UTC) - timedelta(days=40)).isoformat()
    sport = kiosk.submission(
        "idea", {"text": "Un terrain de basket", "category": "jeunesse-culture"}
    )
    # Ideas that share no word are not grouped: random hex "words" of their own.
    others = [kiosk.idea(f"Proposition {uuid.uuid4().hex}") for _ in range(45)]
    kiosk.upload([old, sport, *others])
    session = logged_in(hub)
    answer(hub, session, sport["id"], "realisee", "Inauguré en juin.")

    def page(**args):
        return session.get(f"{hub.url}/", params=args, timeout=10).text

    found = page(q="VELO")  # neither case nor accents matter
    assert "vélo-partage" in found and "basket" not in found and "1 correspond aux" in found
    assert "basket" in page(category="jeunesse-culture")
    assert "vélo-partage" not in page(category="jeunesse-culture")
    assert "basket" in page(status="realisee") and "vélo-partage" not in page(status="realisee")
    since = (datetime.now(UTC) - timedelta(days=7)).date().isoformat()
    assert "vélo-partage" not in page(since=since) and "basket" in page(since=since)
    assert "vélo-partage" in page(until=(datetime.now(UTC) - timedelta(days=30)).date().isoformat())
    assert "Aucune idée ne correspond" in page(q="piscine olympique")
    # 47 ideas in distinct groups, 20 groups a page: three pages, linked from one another.
    first = page()
    assert "page 1 sur 3" in first and 'rel="next"' in first and 'rel="prev"' not in first
    last = page(page="9")  # beyond the end: the last page
    assert "Page 3 sur 3" in last and 'rel="next"' not in last
    filtered = page(status="recue", page="2")
    assert "status=recue" in re.search(r'href="\?([^"]+)" rel="prev"', filtered).group(1)
