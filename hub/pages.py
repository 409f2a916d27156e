"""The agents' pages: server-rendered French HTML, readable on a phone, behind a login."""

from __future__ import annotations

import functools
import hmac
import secrets
import time
from datetime import UTC, datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import select

from hub import agents, content, export, grouping, reports, votecodes
from hub.database import reading
from hub.schema import kiosks

pages = Blueprint("pages", __name__)
# Grouping is quadratic at worst (about a second for 1000 ideas on a small machine); the page
# groups the newest ones, the exports hold them all.
MAX_GROUPED_IDEAS = 1000


def _engine():
    return current_app.config["HUB_ENGINE"]


def login_required(view):
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        if "agent" not in session:
            return redirect(url_for("pages.login", next=request.path))
        return view(*args, **kwargs)

    return wrapper


def _csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(16)
    return session["csrf"]


def _check_csrf() -> None:
    sent, expected = request.form.get("csrf", ""), session.get("csrf", "")
    # An empty token matches a session that has none yet (just after login): never accept it.
    if not expected or not hmac.compare_digest(sent, expected):
        abort(400)


@pages.app_context_processor
def _template_helpers() -> dict[str, Any]:
    return {"csrf_token": _csrf_token, "agent": session.get("agent")}


@pages.app_template_filter("when")
def _when(timestamp: int | None) -> str:
    if timestamp is None:
        return "jamais"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%d/%m/%Y %H:%M UTC")


@pages.get("/login")
def login() -> str:
    return render_template("login.html", error=None, next=request.args.get("next", ""))


@pages.post("/login")
def login_post():
    _check_csrf()
    login_name = request.form.get("login", "")
    if agents.check_agent(_engine(), login_name, request.form.get("password", "")):
        session.clear()
        session["agent"] = login_name
        target = request.form.get("next", "")
        # Only local paths: never bounce an agent to another site after logging in.
        safe = target.startswith("/") and not target.startswith("//")
        return redirect(target if safe else url_for("pages.ideas"))
    current_app.logger.warning("failed login for %r from %s", login_name, request.remote_addr)
    error = "Identifiant ou mot de passe incorrect."
    return render_template("login.html", error=error, next=request.form.get("next", "")), 401


@pages.post("/logout")
def logout():
    _check_csrf()
    session.clear()
    return redirect(url_for("pages.login"))


@pages.get("/")
@login_required
def ideas() -> str:
    every = export.rows(_engine(), "idea")
    rows = every[-MAX_GROUPED_IDEAS:]
    published = content.current_or_demo(_engine()).content
    categories = {c["id"]: c["label"].get("fr", c["id"]) for c in published["idea_categories"]}
    groups = [
        [rows[i] for i in members]
        for members in grouping.group([r["payload"]["text"] for r in rows])
    ]
    return render_template(
        "ideas.html",
        groups=groups,
        total=len(every),
        shown=len(rows),
        categories=categories,
        page="ideas",
    )


@pages.get("/services")
@login_required
def ratings() -> str:
    published = content.current_or_demo(_engine()).content
    labels = {s["id"]: s["label"].get("fr", s["id"]) for s in published["services"]}
    services = reports.ratings_by_service(export.rows(_engine(), "rating"), labels)
    return render_template("ratings.html", services=services, page="ratings")


@pages.get("/consultations")
@login_required
def consultations() -> str:
    engine = _engine()
    with reading(engine) as connection:
        ballots = votecodes.ballot_counts(connection)
        codes = votecodes.code_counts(connection)
    results = reports.consultation_results(
        export.rows(engine, "vote"), ballots, codes, content.current_or_demo(engine).content
    )
    return render_template("consultations.html", results=results, page="consultations")


@pages.get("/bornes")
@login_required
def kiosk_list() -> str:
    with reading(_engine()) as connection:
        rows = connection.execute(select(kiosks)).all()
    statuses = reports.kiosk_statuses(rows, int(time.time()))
    return render_template("kiosks.html", kiosks=statuses, page="kiosks")


@pages.get("/export.json")
@login_required
def export_json() -> Response:
    body = "".join(export.as_json_lines(export.rows(_engine(), request.args.get("kind"))))
    return _download(body, "application/x-ndjson; charset=utf-8", "json")


@pages.get("/export.csv")
@login_required
def export_csv() -> Response:
    body = export.as_csv(export.rows(_engine(), request.args.get("kind")))
    # The byte-order mark makes spreadsheet programs read the accents right.
    return _download("\ufeff" + body, "text/csv; charset=utf-8", "csv")


def _download(body: str, mimetype: str, extension: str) -> Response:
    day = datetime.now(UTC).date().isoformat()
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="totem-{day}.{extension}"'
    return response
