"""Kiosks, their requests and their submissions in the hub's database.

Enrolment tokens are kept as hashes; nonces are kept for twice the timestamp window so a
replayed request is refused; a batch is stored in one transaction, item by item, so one
bad item never costs the others.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from hub import votecodes
from hub.database import reading
from hub.schema import kiosk_tokens, kiosks, nonces, submissions
from hub.validation import Item, ItemError
from wire.protocol import TIMESTAMP_WINDOW_SECONDS


class EnrolmentRefused(Exception):
    """An unknown or already used token, or a kiosk id taken by another key."""


@dataclass(frozen=True)
class Result:
    id: str
    status: str  # stored | duplicate | rejected
    error: str | None = None

    def as_json(self) -> dict[str, str]:
        body = {"id": self.id, "status": self.status}
        if self.error:
            body["error"] = self.error
        return body


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_kiosk_token(engine: Engine, token: str | None = None) -> str:
    token = token or secrets.token_urlsafe(24)
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(kiosk_tokens).values(token_hash=_hash(token), created_at=int(time.time()))
            )
    except IntegrityError:
        raise ValueError("this enrolment token already exists") from None
    return token


def enrol(engine: Engine, token: str, kiosk_id: str, public_key: str) -> None:
    """Record the kiosk's key against a one-time token; a retry of the same enrolment passes."""
    with engine.begin() as connection:
        row = connection.execute(
            select(kiosk_tokens).where(kiosk_tokens.c.token_hash == _hash(token))
        ).first()
        if row is None:
            raise EnrolmentRefused("unknown enrolment token")
        known = connection.execute(select(kiosks).where(kiosks.c.kiosk_id == kiosk_id)).first()
        if row.used_by is not None:
            same = known is not None and known.public_key == public_key
            if row.used_by == kiosk_id and same:
                return  # the kiosk lost our first answer and asks again
            raise EnrolmentRefused("this enrolment token was already used")
        values = {
            "public_key": public_key,
            "token_hash": row.token_hash,
            "enrolled_at": int(time.time()),
        }
        if known is None:
            connection.execute(insert(kiosks).values(kiosk_id=kiosk_id, **values))
        else:  # a replaced kiosk (new SD card) keeps its id with a fresh token and key
            connection.execute(update(kiosks).where(kiosks.c.kiosk_id == kiosk_id).values(**values))
        connection.execute(
            update(kiosk_tokens)
            .where(kiosk_tokens.c.token_hash == row.token_hash)
            .values(used_by=kiosk_id)
        )


def kiosk_public_key(engine: Engine, kiosk_id: str) -> str | None:
    with reading(engine) as connection:
        return connection.execute(
            select(kiosks.c.public_key).where(kiosks.c.kiosk_id == kiosk_id)
        ).scalar()


class ReplayedNonce(Exception):
    """A nonce this kiosk already used within the window."""


class NonceBook:
    """Remembers nonces within the window; prunes old ones at most once a minute."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._pruned = 0.0

    def claim(self, connection: Connection, kiosk_id: str, nonce: str, now: int) -> None:
        """Record the nonce inside the caller's transaction; ReplayedNonce if it was seen."""
        if now - self._pruned > 60:
            self._pruned = now
            horizon = now - 2 * TIMESTAMP_WINDOW_SECONDS
            connection.execute(delete(nonces).where(nonces.c.seen_at < horizon))
        seen = select(nonces.c.nonce).where(nonces.c.kiosk_id == kiosk_id, nonces.c.nonce == nonce)
        if connection.execute(seen).first() is not None:
            raise ReplayedNonce(nonce)
        connection.execute(insert(nonces).values(kiosk_id=kiosk_id, nonce=nonce, seen_at=now))

    def first_use(self, kiosk_id: str, nonce: str, now: int) -> bool:
        """True the first time `nonce` is seen for this kiosk, False for a replay."""
        try:
            with self.engine.begin() as connection:
                self.claim(connection, kiosk_id, nonce, now)
        except (ReplayedNonce, IntegrityError):
            return False
        return True


def record_heartbeat(engine: Engine, kiosk_id: str, report: dict[str, Any]) -> None:
    def number(key: str) -> int | None:
        value = report.get(key)
        return (
            int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        )

    version = report.get("version")
    with engine.begin() as connection:
        connection.execute(
            update(kiosks)
            .where(kiosks.c.kiosk_id == kiosk_id)
            .values(
                last_seen=int(time.time()),
                version=str(version)[:64] if version is not None else None,
                uptime_s=number("uptime_s"),
                outbox_depth=number("outbox_depth"),
                checks=json.dumps(report.get("checks") or [], ensure_ascii=False),
            )
        )


Claim = Callable[[Connection], None]


def store_batch(
    engine: Engine, items: list[Item | tuple[str, ItemError]], claim: Claim | None = None
) -> list[Result]:
    """Store the parsed items of one upload; one Result per item, in order.

    `claim` records the request's nonce in the same transaction (one disk sync per upload
    instead of two); it raises ReplayedNonce, and then nothing is stored.
    """
    for attempt in (1, 2):
        try:
            return _store_batch_once(engine, items, claim)
        except IntegrityError:
            # Only under PostgreSQL, when two uploads of the same ids race: the second
            # pass sees the first one's rows and answers "duplicate".
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _store_batch_once(
    engine: Engine, items: list[Item | tuple[str, ItemError]], claim: Claim | None
) -> list[Result]:
    results = []
    now = int(time.time())
    with engine.begin() as connection:
        if claim is not None:
            claim(connection)
        for item in items:
            if isinstance(item, tuple):
                results.append(Result(item[0], "rejected", str(item[1])))
                continue
            exists = connection.execute(
                select(submissions.c.id).where(submissions.c.id == item.id)
            ).first()
            if exists:
                results.append(Result(item.id, "duplicate"))
                continue
            try:
                payload, vote_key = _admit(connection, item)
            except (ItemError, votecodes.CodeRefused) as error:
                results.append(Result(item.id, "rejected", str(error)))
                continue
            connection.execute(
                insert(submissions).values(
                    id=item.id,
                    kind=item.kind,
                    kiosk_id=item.kiosk_id,
                    created_at=item.created_at,
                    received_at=now,
                    content_version=item.content_version,
                    payload=json.dumps(payload, ensure_ascii=False),
                    vote_key=vote_key,
                )
            )
            results.append(Result(item.id, "stored"))
    return results


def _admit(connection, item: Item) -> tuple[dict[str, Any], str | None]:
    """The payload to keep for `item` and its one-vote-per-session key, or a refusal."""
    if item.kind != "vote":
        return item.payload, None
    consultation, choice = item.payload["consultation"], item.payload["choice"]
    code = item.payload.get("code")
    if code is not None or votecodes.requires_code(connection, consultation):
        if code is None:
            raise ItemError("this consultation needs a voting code")
        votecodes.cast_ballot(connection, consultation, choice, code)
        # The submission keeps only that a sealed ballot arrived: no choice, no code.
        return {"consultation": consultation, "ballot": "sealed"}, None
    session = item.payload.get("session")
    if session is None:
        return item.payload, None
    vote_key = f"{item.kiosk_id}:{session}:{consultation}"
    taken = connection.execute(
        select(submissions.c.id).where(submissions.c.vote_key == vote_key)
    ).first()
    if taken:
        raise ItemError("this citizen session already voted in this consultation")
    return item.payload, vote_key
