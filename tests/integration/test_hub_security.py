"""The agents' pages hold citizens' text and an agent's session: hostile text stays text (in
pages and exports), every form that changes something needs the session's CSRF token, the
session cookie is out of reach of scripts and other sites, and a strict Content-Security-
Policy stops whatever might still get through. Over real HTTP and TLS on loopback."""

from __future__ import annotations

import csv
import io
import json
import re
import threading

import pytest
import requests
from hub_support import Kiosk, RunningHub
from tls_support import town_hall_pki

from demo.localhub import free_port
from hub import agents
from hub.app import create_app
from hub.database import open_engine
from hub.server import build_server

PASSWORD = "une phrase de passe longue"
SCRIPT = '<script>alert("totem")</script>'
IMAGE = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil";"cliquez")'


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    running = RunningHub(f"sqlite:///{tmp_path_factory.mktemp('hub') / 'hub.sqlite3'}")
    agents.set_agent(running.engine, "marie", PASSWORD)
    kiosk = Kiosk(running)
    assert kiosk.enrol().status_code == 201
    hostile = kiosk.idea(f"Des bancs {SCRIPT} au parc {IMAGE}")
    hostile["content_version"] = FORMULA[:60]
    answer = kiosk.upload(
        [
            hostile,
            kiosk.submission("rating", {"service": "cantine", "stars": 1, "comment": SCRIPT}),
            kiosk.submission("vote", {"consultation": "place-du-marche", "choice": IMAGE}),
        ]
    )
    assert answer.status_code == 200, answer.text
    report = {
        "version": SCRIPT,
        "uptime_s": 5,
        "outbox_depth": 0,
        "checks": [{"name": "touch", "status": "fail", "message": {"fr": IMAGE}}],
    }
    assert kiosk.send("POST", "heartbeat", json.dumps(report).encode()).status_code == 200
    yield running
    running.stop()


def logged_in(base_url: str, **session_options) -> requests.Session:
    session = requests.Session()
    for option, value in session_options.items():
        setattr(session, option, value)
    form = session.get(f"{base_url}/login", timeout=10).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    answer = session.post(
        f"{base_url}/login",
        data={"login": "marie", "password": PASSWORD, "csrf": csrf},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text
    session.last_login = answer
    return session


@pytest.mark.parametrize("path", ["/", "/services", "/consultations", "/bornes"])
def test_citizens_html_and_script_are_shown_as_text(hub, path):
    page = logged_in(hub.url).get(f"{hub.url}{path}", timeout=10).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    expected = {
        "/": "&lt;script&gt;",
        "/services": "&lt;script&gt;",
        "/consultations": "&lt;img src=x onerror=alert(1)&gt;",
        "/bornes": "&lt;img src=x onerror=alert(1)&gt;",
    }[path]
    assert expected in page


def test_exports_keep_the_text_but_a_spreadsheet_runs_no_formula(hub):
    session = logged_in(hub.url)
    answer = session.get(f"{hub.url}/export.csv", timeout=10)
    assert answer.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text.lstrip("\ufeff"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert f"'{FORMULA[:60]}" in cells
    assert any("<script>alert(" in cell for cell in cells)  # kept as the citizen wrote it
    lines = session.get(f"{hub.url}/export.json", timeout=10)
    assert "html" not in lines.headers["Content-Type"]
    assert any(
        SCRIPT in json.loads(line)["payload"].get("comment", "") for line in lines.text.splitlines()
    )


def post_routes(directory) -> list[str]:
    app = create_app(open_engine(f"sqlite:///{directory / 'routes.sqlite3'}"))
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.rule.startswith("/api/")
    )


def test_every_form_that_changes_something_needs_the_csrf_token(hub, tmp_path):
    routes = post_routes(tmp_path)
    assert {"/login", "/logout"} <= set(routes)
    session = logged_in(hub.url)
    for route in routes:
        for form in ({}, {"csrf": "forged"}):
            answer = session.post(f"{hub.url}{route}", data=form, allow_redirects=False, timeout=10)
            assert answer.status_code == 400, (route, form)
    assert session.get(f"{hub.url}/", allow_redirects=False, timeout=10).status_code == 200


def test_the_session_cookie_is_http_only_and_same_site(hub):
    cookie = logged_in(hub.url).last_login.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_carry_a_strict_content_security_policy(hub):
    session = logged_in(hub.url)
    for path in ("/login", "/", "/services", "/consultations", "/bornes"):
        policy = session.get(f"{hub.url}{path}", timeout=10).headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["default-src"] == "'none'"
        assert directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["form-action"] == "'self'"
        assert "unsafe-inline" not in policy and "script-src" not in policy
    page = session.get(f"{hub.url}/services", timeout=10).text
    assert "style=" not in page and "<script" not in page  # nothing the policy would block


def test_behind_tls_the_session_cookie_is_also_secure(tmp_path):
    ca, cert, key = town_hall_pki(tmp_path)
    engine = open_engine(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    agents.set_agent(engine, "marie", PASSWORD)
    port = free_port()
    server = build_server(engine, f"127.0.0.1:{port}", str(cert), str(key))
    server.prepare()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        session = logged_in(f"https://127.0.0.1:{port}", verify=str(ca), trust_env=False)
        cookie = session.last_login.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finally:
        server.stop()
        thread.join(10)
        engine.dispose()


def test_a_request_nested_thousands_deep_is_refused_not_an_internal_error(hub):
    deep = b'{"token": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    answer = requests.post(
        f"{hub.url}/api/v1/enrol",
        data=deep,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 400
    assert answer.json() == {"error": "the body is not valid JSON"}


def try_login(session: requests.Session, base_url: str, login: str, password: str):
    form = session.get(f"{base_url}/login", timeout=10).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    return session.post(
        f"{base_url}/login",
        data={"login": login, "password": password, "csrf": csrf},
        allow_redirects=False,
        timeout=30,
    )


def test_a_failed_login_keeps_the_name_and_guessing_is_held_back(tmp_path):
    running = RunningHub(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    agents.set_agent(running.engine, "marie", PASSWORD)
    try:
        session = requests.Session()
        answer = try_login(session, running.url, "marie", "pas le bon mot de passe")
        assert answer.status_code == 401
        assert 'name="login" value="marie"' in answer.text
        for _ in range(4):
            assert try_login(session, running.url, "marie", "encore faux").status_code == 401
        held = try_login(session, running.url, "marie", PASSWORD)  # even the right one, now
        assert held.status_code == 429
        assert "Trop de tentatives : réessayez dans 15 minutes." in held.text
        other = try_login(requests.Session(), running.url, "paul", "faux")
        assert other.status_code == 429, "the same address is held back for every name"
    finally:
        running.stop()
