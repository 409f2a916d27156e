"""The agents' pages: nothing without logging in; then ideas grouped, ratings, votes, kiosks."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
import requests
from hub_support import Kiosk, RunningHub, agent_login

from hub import agents

PASSWORD = "une phrase de passe longue"
PAGES = ["/", "/services", "/consultations", "/bornes", "/export.json", "/export.csv"]


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    running = RunningHub(f"sqlite:///{tmp_path_factory.mktemp('hub') / 'hub.sqlite3'}")
    agents.set_agent(running.engine, "marie", PASSWORD)
    kiosk = Kiosk(running)
    assert kiosk.enrol().status_code == 201
    kiosk.upload(
        [
            kiosk.idea("Installer plus de bancs dans le parc"),
            kiosk.idea("Ajouter des bancs au parc"),
            kiosk.idea('=HYPERLINK("http://evil")'),
            kiosk.submission("rating", {"service": "cantine", "stars": 4, "comment": "Bon"}),
            kiosk.submission("rating", {"service": "cantine", "stars": 2}),
            kiosk.submission("vote", {"consultation": "place-du-marche", "choice": "oui"}),
        ]
    )
    report = {
        "version": "0.1.0",
        "uptime_s": 5,
        "outbox_depth": 0,
        "checks": [{"name": "touch", "status": "fail", "message": {"fr": "Dalle tactile absente"}}],
    }
    kiosk.send("POST", "heartbeat", json.dumps(report).encode())
    yield running
    running.stop()


def logged_in(hub: RunningHub, password: str = PASSWORD) -> tuple[requests.Session, int]:
    return agent_login(hub, "marie", password, "/services")


@pytest.mark.parametrize("path", PAGES)
def test_no_page_and_no_export_without_logging_in(hub, path):
    answer = requests.get(f"{hub.url}{path}", allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/login")
    assert "bancs" not in answer.text


def test_a_wrong_password_is_refused(hub):
    session, status = logged_in(hub, "pas le bon mot de passe")
    assert status == 401
    assert session.get(f"{hub.url}/", allow_redirects=False, timeout=10).status_code == 302


def test_similar_ideas_are_shown_together(hub):
    session, status = logged_in(hub)
    assert status == 200
    page = session.get(f"{hub.url}/", timeout=10).text
    assert "3 idées reçues" in page
    assert "2 idées semblables" in page
    assert 'lang="fr"' in page and 'name="viewport"' in page


def test_ratings_show_count_average_and_distribution(hub):
    session, _ = logged_in(hub)
    page = session.get(f"{hub.url}/services", timeout=10).text
    assert "Restauration scolaire" in page
    assert "2 avis" in page and "3,0" in page
    assert page.count('class="bar"') == 5


def test_consultation_results_and_kiosk_alerts(hub):
    session, _ = logged_in(hub)
    results = session.get(f"{hub.url}/consultations", timeout=10).text
    assert "1 avis" in results and "100 %" in results and "Sondage d" in results
    kiosks = session.get(f"{hub.url}/bornes", timeout=10).text
    assert "hall-01" in kiosks and "Panne : Dalle tactile absente" in kiosks


def test_exports_for_a_logged_in_agent(hub):
    session, _ = logged_in(hub)
    lines = session.get(f"{hub.url}/export.json", timeout=10).text.splitlines()
    items = [json.loads(line) for line in lines]
    assert len(items) == 6
    assert {"id", "kind", "kiosk_id", "payload"} <= set(items[0])
    text = session.get(f"{hub.url}/export.csv?kind=idea", timeout=10).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3
    # A citizen's text never runs as a spreadsheet formula.
    assert all(not row["text"].startswith("=") for row in rows)


def test_logging_out_ends_access(hub):
    session, _ = logged_in(hub)
    page = session.get(f"{hub.url}/", timeout=10).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    session.post(f"{hub.url}/logout", data={"csrf": csrf}, timeout=10)
    assert (
        session.get(f"{hub.url}/export.json", allow_redirects=False, timeout=10).status_code == 302
    )


def test_ideas_are_dated_in_french_in_the_town_halls_time_zone(hub):
    session, _ = logged_in(hub)
    page = session.get(f"{hub.url}/", timeout=10).text
    assert re.search(r"\d\d/\d\d/20\d\d à \d\d:\d\d", page)
    assert "UTC" not in page and "T" not in re.findall(r"· (\S+) </small>", page)


def test_the_csv_has_a_column_per_field_and_a_french_excel_variant(hub):
    session, _ = logged_in(hub)
    answer = session.get(f"{hub.url}/export.csv?kind=rating&sep=;", timeout=10)
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"  # said once
    assert answer.content.startswith("\ufeff".encode())  # accents right in a spreadsheet
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    assert {(row["service"], row["stars"], row["comment"]) for row in rows} == {
        ("cantine", "4", "Bon"),
        ("cantine", "2", ""),
    }
    lines = session.get(f"{hub.url}/export.json", timeout=10)
    assert lines.headers["Content-Type"].startswith("application/jsonl")
    assert ".jsonl" in lines.headers["Content-Disposition"]
