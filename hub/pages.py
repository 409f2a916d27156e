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
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import select

from hub import (
    agents,
    audit,
    content,
    export,
    grouping,
    ideaquery,
    ideastatus,
    releases,
    reports,
    votecodes,
)
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


# Town-hall agents read French dates in their own time zone, whatever the server's.
PARIS = ideastatus.PARIS


@pages.app_template_filter("when")
def _when(moment: int | str | None) -> str:
    """A Unix time or an ISO 8601 string as "02/12/2026 à 17:46" in Europe/Paris."""
    if moment is None or moment == "":
        return "jamais"
    try:
        if isinstance(moment, str):
            parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
            parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        else:
            parsed = datetime.fromtimestamp(moment, UTC)
    except (ValueError, OverflowError, OSError):
        return str(moment)  # a kiosk's odd timestamp is shown as it came
    return parsed.astimezone(PARIS).strftime("%d/%m/%Y à %H:%M")


@pages.app_template_filter("sentence")
def _sentence(text: str) -> str:
    """A citizen's text as a title: its first letter in capital."""
    text = text.strip()
    return text[:1].upper() + text[1:]


@pages.get("/login")
def login() -> str:
    return _login_page(None, "")


@pages.post("/login")
def login_post():
    _check_csrf()
    login_name = request.form.get("login", "")[:200]
    address = request.remote_addr or ""
    throttle = current_app.config["HUB_LOGIN_THROTTLE"]
    wait = throttle.wait_seconds(login_name, address)
    if wait > 0:
        current_app.logger.warning("login of %r from %s held back", login_name, address)
        minutes = max(1, round(wait / 60))
        error = f"Trop de tentatives : réessayez dans {minutes} minute{'s' if minutes > 1 else ''}."
        return _login_page(error, login_name), 429
    if agents.check_agent(_engine(), login_name, request.form.get("password", "")):
        throttle.succeeded(login_name, address)
        session.clear()
        session["agent"] = login_name
        target = request.form.get("next", "")
        # Only local paths: never bounce an agent to another site after logging in.
        safe = target.startswith("/") and not target.startswith("//")
        return redirect(target if safe else url_for("pages.ideas"))
    throttle.failed(login_name, address)
    current_app.logger.warning("failed login for %r from %s", login_name, address)
    return _login_page("Identifiant ou mot de passe incorrect.", login_name), 401


def _login_page(error: str | None, login_name: str) -> str:
    # The name typed stays in the form: only the password has to be typed again.
    next_path = request.values.get("next", "")
    return render_template("login.html", error=error, next=next_path, login=login_name)


@pages.post("/logout")
def logout():
    _check_csrf()
    session.clear()
    return redirect(url_for("pages.login"))


@pages.get("/")
@login_required
def ideas() -> str:
    engine = _engine()
    query = ideaquery.IdeaQuery.from_args(request.args)
    every = export.rows(engine, "idea")
    with reading(engine) as connection:
        answers = ideastatus.answers(connection)
    chosen = [
        row for row in every if query.matches(row, ideastatus.status_of(answers, row["id"]), PARIS)
    ]
    rows = chosen[-MAX_GROUPED_IDEAS:]
    for row in rows:
        row["answer"] = answers.get(row["id"])
        row["status"] = ideastatus.status_of(answers, row["id"])
    published = content.current_or_demo(engine).content
    categories = {c["id"]: c["label"].get("fr", c["id"]) for c in published["idea_categories"]}
    groups = []
    for members in grouping.group([r["payload"]["text"] for r in rows]):
        ideas = [rows[i] for i in members]
        title = ideas[grouping.representative([idea["payload"]["text"] for idea in ideas])]
        groups.append({"title": title["payload"]["text"], "ideas": ideas})
    return render_template(
        "ideas.html",
        groups=ideaquery.page_of(groups, query.page),
        group_count=len(groups),
        total=len(every),
        matching=len(chosen),
        shown=len(rows),
        query=query,
        categories=categories,
        statuses=ideastatus.LABELS,
        answer_max=ideastatus.ANSWER_MAX_CHARS,
        page="ideas",
    )


@pages.post("/idees/<idea_id>/reponse")
@login_required
def answer_idea(idea_id: str):
    """An agent sets an idea's status and public answer; the kiosks get it at their sync."""
    _check_csrf()
    back = request.form.get("back", "")
    back = back if back.startswith("?") or not back else ""  # only this page's filters
    try:
        ideastatus.set_answer(
            _engine(),
            idea_id[:36],
            request.form.get("status", ""),
            request.form.get("answer", ""),
            session["agent"],
            int(time.time()),
        )
    except ideastatus.AnswerRefused as refused:
        current_app.logger.warning("answer to idea %s refused: %s", idea_id[:36], refused)
        flash(str(refused))  # shown once, above the list, where the agent comes back
    else:
        current_app.logger.info("%s answered idea %s", session["agent"], idea_id[:36])
        content.republish(_engine())
    return redirect(url_for("pages.ideas") + back + f"#idee-{idea_id[:36]}", code=303)


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
        refused = votecodes.refusal_counts(connection)
    results = reports.consultation_results(
        export.rows(engine, "vote"),
        ballots,
        codes,
        content.current_or_demo(engine).content,
        refused,
    )
    return render_template("consultations.html", results=results, page="consultations")


@pages.get("/bornes")
@login_required
def kiosk_list() -> str:
    with reading(_engine()) as connection:
        rows = connection.execute(select(kiosks)).all()
    updates = releases.update_reports(_engine())
    statuses = reports.kiosk_statuses(rows, int(time.time()), updates)
    service = audit.recent(_engine())
    return render_template("kiosks.html", kiosks=statuses, service=service, page="kiosks")


@pages.get("/export.json")
@login_required
def export_json() -> Response:
    # JSON Lines: one submission per line, each a JSON object (not one JSON document).
    body = "".join(export.as_json_lines(export.rows(_engine(), request.args.get("kind"))))
    return _download(body, "application/jsonl", "jsonl")


@pages.get("/export.csv")
@login_required
def export_csv() -> Response:
    # `?sep=;` for spreadsheets set up in French, which read "," as the decimal mark.
    delimiter = ";" if request.args.get("sep") == ";" else ","
    body = export.as_csv(export.rows(_engine(), request.args.get("kind")), delimiter)
    # The byte-order mark makes spreadsheet programs read the accents right.
    return _download("\ufeff" + body, "text/csv", "csv")


def _download(body: str, mimetype: str, extension: str) -> Response:
    day = datetime.now(PARIS).date().isoformat()
    # `mimetype` gets its charset once, from Flask: never "charset=utf-8; charset=utf-8".
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="totem-{day}.{extension}"'
    return response
