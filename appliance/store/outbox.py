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
import time
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
# How long opening waits for another process holding the file (SQLite's busy timeout too).
BUSY_SECONDS = 30
BUSY_RETRY_SECONDS = 0.05
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
# Added after the first release, as its own table so older files need no rewrite: the
# hub's reason for refusing an item. A rejected item leaves the pending queue (it would
# block it forever) but stays visible to technicians.
REJECTIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS rejections (
    id TEXT PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    rejected_at TEXT NOT NULL,
    error TEXT NOT NULL
);
"""
COLUMNS = (
    "s.id, s.kind, s.created_at, s.payload, s.content_version, s.kiosk_id, s.sent_at,"
    " r.rejected_at, r.error"
)
JOINED = "submissions AS s LEFT JOIN rejections AS r ON r.id = s.id"
PENDING = "s.sent_at IS NULL AND r.id IS NULL"


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
    rejected_at: str | None = None
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "created_at": self.created_at,
            "payload": self.payload,
            "content_version": self.content_version,
            "kiosk_id": self.kiosk_id,
            "sent_at": self.sent_at,
            "rejected_at": self.rejected_at,
            "error": self.error,
        }

    def upload_json(self) -> dict[str, Any]:
        """What the hub receives: the submission without the kiosk's own bookkeeping."""
        data = self.as_json()
        for key in ("sent_at", "rejected_at", "error"):
            del data[key]
        return data


def _prepare(db: sqlite3.Connection, deadline: float) -> None:
    """WAL mode and the tables, however many processes open a new file at once.

    At boot the UI, the sync process and the hardware check may all open the outbox first.
    Switching a new file to WAL needs it to itself and SQLite answers SQLITE_BUSY at once,
    without waiting as it does for row locks: wait here instead, up to the deadline.
    """
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.executescript(SCHEMA + REJECTIONS_SCHEMA)
            return
        except sqlite3.OperationalError as error:
            if not _busy(error) or time.monotonic() >= deadline:
                raise
        time.sleep(BUSY_RETRY_SECONDS)


def _busy(error: sqlite3.OperationalError) -> bool:
    # sqlite_errorcode carries extended codes (SQLITE_BUSY_RECOVERY...): the primary is the low byte
    return error.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Outbox:
    def __init__(self, data_dir: str | Path):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / FILENAME
        db = None
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
            _prepare(db, time.monotonic() + BUSY_SECONDS)
        except (OSError, sqlite3.Error) as error:
            if db is not None:
                db.close()
            raise OutboxError(f"cannot open the outbox {self.path}: {error}") from None
        self._db = db

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
            f"SELECT {COLUMNS} FROM {JOINED} WHERE {PENDING} ORDER BY s.created_at, s.id LIMIT ?",
            (limit,),
        )
        return [_row(row) for row in rows]

    def mark_sent(self, ids: list[str], sent_at: str | None = None) -> None:
        """Record the hub's acknowledgement; already-acknowledged ids keep their first time.

        A vote's single-use code is forgotten once the hub has it: the hub burnt it, and
        keeping it on the totem would let whoever reads the card link a code to a choice.
        """
        sent_at = sent_at or utc_now()
        with self._transaction():
            self._db.executemany(
                "UPDATE submissions SET sent_at = ?, payload = CASE WHEN kind = 'vote'"
                " THEN json_remove(payload, '$.code') ELSE payload END"
                " WHERE id = ? AND sent_at IS NULL",
                [(sent_at, i) for i in ids],
            )

    def mark_rejected(self, errors: dict[str, str], rejected_at: str | None = None) -> None:
        """Keep items the hub refused out of the pending queue, with the hub's reason."""
        rejected_at = rejected_at or utc_now()
        with self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO rejections (id, rejected_at, error)"
                " SELECT id, ?, ? FROM submissions WHERE id = ? AND sent_at IS NULL",
                [(rejected_at, error, i) for i, error in errors.items()],
            )

    def all(self) -> list[Submission]:
        rows = self._db.execute(f"SELECT {COLUMNS} FROM {JOINED} ORDER BY s.created_at, s.id")
        return [_row(r) for r in rows]

    def unsent_count(self) -> int:
        """Submissions still waiting for the hub (rejected ones are not waiting any more)."""
        return self._db.execute(f"SELECT count(*) FROM {JOINED} WHERE {PENDING}").fetchone()[0]

    def rejected_count(self) -> int:
        return self._db.execute("SELECT count(*) FROM rejections").fetchone()[0]

    def oldest_unsent(self) -> str | None:
        row = self._db.execute(f"SELECT min(s.created_at) FROM {JOINED} WHERE {PENDING}")
        return row.fetchone()[0]

    def last_sent(self) -> str | None:
        """When the hub last acknowledged a submission (ISO 8601 UTC), or None."""
        return self._db.execute("SELECT max(sent_at) FROM submissions").fetchone()[0]

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
    id_, kind, created_at, payload, content_version, kiosk_id, sent_at, rejected_at, error = row
    return Submission(
        id_,
        kind,
        created_at,
        json.loads(payload),
        content_version,
        kiosk_id,
        sent_at,
        rejected_at,
        error,
    )
