"""Submissions as JSON lines or CSV, for the agents' downloads and `totem-hub export`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, select

from hub import ideastatus
from hub.database import reading
from hub.schema import idea_answers, submissions

CSV_COLUMNS = ("id", "kind", "kiosk_id", "created_at", "content_version")
# One column per field of the payloads (hub/README.md): a spreadsheet filters and counts
# them. A vote's session token and code are not the agents' business: they are left out.
PAYLOAD_COLUMNS = (
    "category",
    "text",
    "service",
    "stars",
    "comment",
    "consultation",
    "choice",
    "language",
)
# What the town hall made of an idea (hub/ideastatus.py): blank for ratings and votes.
ANSWER_COLUMNS = ("status", "answer")


def rows(engine: Engine, kind: str | None = None) -> list[dict[str, Any]]:
    """Every submission (optionally of one kind), oldest first, payload decoded; an idea
    also carries its `status` and public `answer`."""
    query = (
        select(submissions, idea_answers.c.status, idea_answers.c.answer)
        .outerjoin(idea_answers, idea_answers.c.idea_id == submissions.c.id)
        .order_by(submissions.c.received_at, submissions.c.created_at)
    )
    if kind:
        query = query.where(submissions.c.kind == kind)
    with reading(engine) as connection:
        return [_row(r) for r in connection.execute(query)]


def _row(r: Any) -> dict[str, Any]:
    item = {
        "id": r.id,
        "kind": r.kind,
        "kiosk_id": r.kiosk_id,
        "created_at": r.created_at,
        "content_version": r.content_version,
        "payload": json.loads(r.payload),
    }
    if r.kind == "idea":
        item["status"] = r.status or ideastatus.DEFAULT
        item["answer"] = r.answer or ""
    return item


def as_json_lines(items: list[dict[str, Any]]) -> Iterator[str]:
    for item in items:
        yield json.dumps(item, ensure_ascii=False) + "\n"


def as_csv(items: list[dict[str, Any]], delimiter: str = ",") -> str:
    """Submissions as CSV, one column per field; `delimiter=";"` for a French spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(CSV_COLUMNS + PAYLOAD_COLUMNS + ANSWER_COLUMNS)
    for item in items:
        row = [item[column] for column in CSV_COLUMNS]
        row += [item["payload"].get(column) for column in PAYLOAD_COLUMNS]
        row += [item.get(column) for column in ANSWER_COLUMNS]
        writer.writerow([_defuse(str(value)) if value is not None else "" for value in row])
    return out.getvalue()


def _defuse(cell: str) -> str:
    """Citizens' text opened in a spreadsheet must not run as a formula."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell
