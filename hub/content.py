"""The town hall's content: its Ed25519 key, publishing signed versions, serving the newest.

The private key is created at first use and kept in the hub's database (table `secrets`,
row `content_key`), so a backup of the database is a backup of the key. Kiosks pin the
public key at enrolment (or from `totem.toml`).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlalchemy import Engine, delete, insert, select

from hub import ideastatus, servicekeys, votecodes
from hub.database import reading
from hub.schema import content_source, contents, secrets
from wire.content import DEMO_CONTENT, validate_content
from wire.protocol import b64, canonical_json, public_key_b64


@dataclass(frozen=True)
class Published:
    content: dict[str, Any]
    signature: str
    etag: str


def content_key(engine: Engine) -> Ed25519PrivateKey:
    """The town hall's content key, created and stored on first use."""
    with engine.begin() as connection:
        row = connection.execute(
            select(secrets.c.value).where(secrets.c.name == "content_key")
        ).first()
        if row is not None:
            return Ed25519PrivateKey.from_private_bytes(row.value)
        key = Ed25519PrivateKey.generate()
        raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        connection.execute(insert(secrets).values(name="content_key", value=raw))
        return key


def content_public_key(engine: Engine) -> str:
    return public_key_b64(content_key(engine))


def publish(engine: Engine, document: Any) -> Published:
    """Validate `document`, add the agents' public answers to its own `answers` (entries
    the town hall wrote by hand, e.g. for ideas from the paper box), sign and store it as
    the current version (ContentError if invalid)."""
    validate_content(document)
    with engine.begin() as connection:
        # Kept as given, so an answer changed later is added to this same document.
        connection.execute(delete(content_source))
        connection.execute(insert(content_source).values(name="current", body=json.dumps(document)))
        answered = ideastatus.public_answers(connection)
        coded = votecodes.coded_consultations(connection)
        service = servicekeys.content_section(connection)
    content = {
        **document,
        "answers": answered + list(document.get("answers", [])),
        "service": service,  # the hub's, whatever the document says
    }
    if "consultations" in document:
        content["consultations"] = _with_codes(document["consultations"], coded)
    validate_content(content)
    body = canonical_json(content)
    signature = b64(content_key(engine).sign(body))
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    with engine.begin() as connection:
        connection.execute(
            insert(contents).values(
                version=content["version"],
                body=body.decode(),
                signature=signature,
                etag=etag,
                published_at=int(time.time()),
            )
        )
    return Published(content, signature, etag)


def _with_codes(consultations: list[dict[str, Any]], coded: set[str]) -> list[dict[str, Any]]:
    """The hub decides which consultations are votes: one it issued codes for must ask the
    citizen for a code whatever the document says, or every ballot would be refused."""
    return [
        {**c, "requires_code": bool(c.get("requires_code")) or c["id"] in coded}
        for c in consultations
    ]


def republish(engine: Engine) -> Published:
    """Sign again the town hall's last document with the answers as they are now."""
    with reading(engine) as connection:
        body = connection.execute(
            select(content_source.c.body).where(content_source.c.name == "current")
        ).scalar()
    return publish(engine, json.loads(body) if body else _demo())


def _demo() -> dict[str, Any]:
    return json.loads(DEMO_CONTENT.read_text(encoding="utf-8"))


def current(engine: Engine) -> Published | None:
    with reading(engine) as connection:
        row = connection.execute(
            select(contents).order_by(contents.c.serial.desc()).limit(1)
        ).first()
    if row is None:
        return None
    return Published(json.loads(row.body), row.signature, row.etag)


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


def current_or_demo(engine: Engine) -> Published:
    """The current content; a hub nobody published on yet serves the demo content, signed."""
    return current(engine) or publish(engine, _demo())
