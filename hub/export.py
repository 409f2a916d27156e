"""Submissions as JSON lines or CSV, for the agents' downloads and `totem-hub export`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, select

from hub.database import reading
from hub.schema import submissions

CSV_COLUMNS = ("id", "kind", "kiosk_id", "created_at", "content_version", "payload")


def rows(engine: Engine, kind: str | None = None) -> list[dict[str, Any]]:
    """Every submission (optionally of one kind), oldest first, payload decoded."""
    query = select(submissions).order_by(submissions.c.received_at, submissions.c.created_at)
    if kind:
        query = query.where(submissions.c.kind == kind)
    with reading(engine) as connection:
        return [
            {
                "id": r.id,
                "kind": r.kind,
                "kiosk_id": r.kiosk_id,
                "created_at": r.created_at,
                "content_version": r.content_version,
                "payload": json.loads(r.payload),
            }
            for r in connection.execute(query)
        ]


def as_json_lines(items: list[dict[str, Any]]) -> Iterator[str]:
    for item in items:
        yield json.dumps(item, ensure_ascii=False) + "\n"


def as_csv(items: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item in items:
        row = [item[c] for c in CSV_COLUMNS[:-1]]
        row.append(json.dumps(item["payload"], ensure_ascii=False))
        writer.writerow([_defuse(str(v)) if v is not None else "" for v in row])
    return out.getvalue()


def _defuse(cell: str) -> str:
    """Citizens' text opened in a spreadsheet must not run as a formula."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell
