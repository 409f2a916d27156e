"""The town hall's service key and the technicians' dongles it signs.

`totem-hub service-key create` makes the Ed25519 key (kept in `secrets`, like the content
key); `totem-hub dongle issue` writes a technician's TOTEM-SERVICE.token
(wire/servicetoken.py) and records its serial; `totem-hub dongle revoke SERIAL` lists it
as revoked. The public key and the revoked serials travel in the signed content (section
`service`), so every kiosk learns them at its next sync.
"""

from __future__ import annotations

import secrets as random
import time
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlalchemy import Engine, insert, select, update

from hub.database import reading
from hub.schema import dongles, secrets
from wire.protocol import public_key_b64
from wire.servicetoken import FILENAME, issue

KEY_NAME = "service_key"


class DongleRefused(ValueError):
    pass


def service_key(engine: Engine) -> Ed25519PrivateKey | None:
    with reading(engine) as connection:
        raw = connection.execute(select(secrets.c.value).where(secrets.c.name == KEY_NAME)).scalar()
    return Ed25519PrivateKey.from_private_bytes(raw) if raw else None


def create_key(engine: Engine) -> str:
    """Make the service key once; its public half (base64) for totem.toml `[service] keys`."""
    if service_key(engine) is not None:
        raise DongleRefused("this hub has a service key already (see `service-key show`)")
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    with engine.begin() as connection:
        connection.execute(insert(secrets).values(name=KEY_NAME, value=raw))
    return public_key_b64(key)


def issue_dongle(
    engine: Engine,
    technician: str,
    days: int,
    out: Path,
    kiosks: list[str] | None = None,
    site: str | None = None,
) -> str:
    """Write the token into `out` (the stick's folder); its serial."""
    key = service_key(engine)
    if key is None:
        raise DongleRefused("no service key yet: run `totem-hub service-key create` first")
    serial = random.token_hex(8)
    now = datetime.now(UTC).replace(microsecond=0)
    try:
        data = issue(key, technician, serial, now, days, kiosks, site)
    except ValueError as error:
        raise DongleRefused(str(error)) from None
    out.mkdir(parents=True, exist_ok=True)
    (out / FILENAME).write_bytes(data)
    expires = now.timestamp() + days * 86400
    with engine.begin() as connection:
        connection.execute(
            insert(dongles).values(
                serial=serial,
                technician=technician.strip()[:80],
                issued_at=int(time.time()),
                expires=datetime.fromtimestamp(expires, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            )
        )
    return serial


def revoke(engine: Engine, serial: str) -> None:
    with engine.begin() as connection:
        done = connection.execute(
            update(dongles)
            .where(dongles.c.serial == serial)
            .where(dongles.c.revoked_at.is_(None))
            .values(revoked_at=int(time.time()))
        )
    if done.rowcount != 1:
        raise DongleRefused(f"no dongle {serial!r} still valid on this hub")


def content_section(connection) -> dict[str, list[str]]:
    """What the signed content tells kiosks: the public key and the revoked serials."""
    raw = connection.execute(select(secrets.c.value).where(secrets.c.name == KEY_NAME)).scalar()
    keys = [public_key_b64(Ed25519PrivateKey.from_private_bytes(raw))] if raw else []
    revoked = connection.execute(
        select(dongles.c.serial).where(dongles.c.revoked_at.is_not(None))
    ).scalars()
    return {"keys": keys, "revoked": sorted(revoked)}
