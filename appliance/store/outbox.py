"""The outbox: every submission a citizen made, kept until the hub acknowledged it.

SQLite in WAL mode with `synchronous=FULL`: when `add()` returns, the row is on disk and
survives a power cut, so the UI shows "Merci" only after it returned. The sync process
reads the same file from its own connection.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

KINDS = ("idea", "rating", "vote")
FILENAME = "outbox.sqlite3"
# Refuse new submissions below this much free space, so that SQLite's journal, the logs
# and the rows already stored keep the room they need.
MIN_FREE_BYTES = 8 * 1024 * 1024
RETENTION = timedelta(days=30)  # sent items are kept this long for the technician, then purged

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('idea', 'rating', 'vote')),
    created_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    content_version TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX IF NOT EXISTS submissions_unsent ON submissions (created_at) WHERE sent_at IS NULL;
"""


class OutboxError(Exception):
    """The outbox cannot be used (damaged file, unwritable directory)."""


class OutboxFull(OutboxError):
    """The data partition has no room left: new submissions are refused, stored ones are safe."""


@dataclass(frozen=True)
class Submission:
    id: str
    kind: str
    created_at: str
    payload: dict[str, Any]
    content_version: str
    kiosk_id: str
    sent_at: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "created_at": self.created_at,
            "payload": self.payload,
            "content_version": self.content_version,
            "kiosk_id": self.kiosk_id,
            "sent_at": self.sent_at,
        }


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Outbox:
    def __init__(self, data_dir: str | Path):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / FILENAME
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise OutboxError(f"cannot open the outbox {self.path}: {error}") from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(
        self, kind: str, payload: dict[str, Any], *, kiosk_id: str, content_version: str
    ) -> Submission:
        """Store one submission durably; returns only once it is committed to disk."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        if shutil.disk_usage(self.data_dir).free < MIN_FREE_BYTES:
            raise OutboxFull("the data partition is full")
        submission = Submission(
            id=str(uuid.UUID(bytes=os.urandom(16), version=4)),
            kind=kind,
            created_at=utc_now(),
            payload=payload,
            content_version=content_version,
            kiosk_id=kiosk_id,
        )
        try:
            self._db.execute(
                "INSERT INTO submissions (id, kind, created_at, payload, content_version, kiosk_id)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    submission.id,
                    kind,
                    submission.created_at,
                    json.dumps(payload, ensure_ascii=False),
                    content_version,
                    kiosk_id,
                ),
            )
        except sqlite3.OperationalError as error:
            if "full" in str(error):
                raise OutboxFull("the data partition is full") from None
            raise OutboxError(f"cannot store the submission: {error}") from None
        return submission

    def pending(self, limit: int = 100) -> list[Submission]:
        """Oldest unsent submissions first."""
        rows = self._db.execute(
            "SELECT * FROM submissions WHERE sent_at IS NULL ORDER BY created_at, id LIMIT ?",
            (limit,),
        )
        return [_row(row) for row in rows]

    def mark_sent(self, ids: list[str], sent_at: str | None = None) -> None:
        """Record the hub's acknowledgement; already-acknowledged ids keep their first time."""
        sent_at = sent_at or utc_now()
        with self._transaction():
            self._db.executemany(
                "UPDATE submissions SET sent_at = ? WHERE id = ? AND sent_at IS NULL",
                [(sent_at, i) for i in ids],
            )

    def all(self) -> list[Submission]:
        return [
            _row(r) for r in self._db.execute("SELECT * FROM submissions ORDER BY created_at, id")
        ]

    def unsent_count(self) -> int:
        return self._db.execute(
            "SELECT count(*) FROM submissions WHERE sent_at IS NULL"
        ).fetchone()[0]

    def oldest_unsent(self) -> str | None:
        row = self._db.execute("SELECT min(created_at) FROM submissions WHERE sent_at IS NULL")
        return row.fetchone()[0]

    def purge_sent(self, now: datetime | None = None) -> int:
        """Delete acknowledged submissions older than the retention period."""
        cutoff = ((now or datetime.now(UTC)) - RETENTION).isoformat(timespec="milliseconds")
        cutoff = cutoff.replace("+00:00", "Z")
        with self._transaction():
            cursor = self._db.execute(
                "DELETE FROM submissions WHERE sent_at IS NOT NULL AND sent_at < ?", (cutoff,)
            )
        return cursor.rowcount

    def integrity_ok(self) -> bool:
        return self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def _transaction(self):
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, *exc: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")


def _row(row: tuple) -> Submission:
    id_, kind, created_at, payload, content_version, kiosk_id, sent_at = row
    return Submission(
        id_, kind, created_at, json.loads(payload), content_version, kiosk_id, sent_at
    )
