"""The technician's service token (`TOTEM-SERVICE.token` on a USB stick): its shape, how the
town hall signs it and how a totem checks it, with the reason of every refusal (pure).

    {"token": {"technician", "kiosks" | "site", "not_before", "expires", "serial"},
     "signature": base64 Ed25519 over canonical_json(token)}

Signed by the town hall's service key (`totem-hub service-key create`); a totem trusts the
public keys listed in totem.toml (`[service] keys`) and those the hub's signed content
carries, and refuses the serials the content lists as revoked. Times are UTC, ISO 8601.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from wire.protocol import b64, canonical_json, verify

FILENAME = "TOTEM-SERVICE.token"
MAX_BYTES = 8 * 1024  # a token is a few hundred bytes: anything bigger is not one
MAX_DAYS = 366  # a dongle is renewed at least yearly
_SERIAL = re.compile(r"[A-Za-z0-9-]{8,64}", re.ASCII)
_KIOSK = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", re.ASCII)
FIELDS = {"technician", "not_before", "expires", "serial"}


@dataclass(frozen=True)
class Refused(Exception):
    """Why a token opens nothing: `code` for the audit log, `en`/`fr` for people."""

    code: str  # malformed, signature, expired, not-yet-valid, other-kiosk, revoked
    en: str
    fr: str

    def __str__(self) -> str:
        return self.en


@dataclass(frozen=True)
class Token:
    technician: str
    kiosks: tuple[str, ...]  # empty when the token names a site
    site: str | None
    not_before: datetime
    expires: datetime
    serial: str


def issue(
    key: Ed25519PrivateKey,
    technician: str,
    serial: str,
    not_before: datetime,
    days: int,
    kiosks: list[str] | None = None,
    site: str | None = None,
) -> bytes:
    """The file's bytes for a technician's dongle (ValueError for a request out of bounds)."""
    if not technician.strip() or len(technician) > 80:
        raise ValueError("the technician's name or id must be 1 to 80 characters")
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"a dongle is valid 1 to {MAX_DAYS} days")
    if bool(kiosks) == bool(site):
        raise ValueError("a dongle opens either listed kiosks or one site")
    body: dict[str, Any] = {
        "technician": technician.strip(),
        "serial": serial,
        "not_before": _iso(not_before),
        "expires": _iso(not_before + timedelta(days=days)),
    }
    if kiosks:
        body["kiosks"] = sorted(set(kiosks))
    else:
        body["site"] = site
    token = {"token": body, "signature": b64(key.sign(canonical_json(body)))}
    _parse(body)  # what the totem will read back must be valid
    return (json.dumps(token, ensure_ascii=False, indent=2) + "\n").encode()


def check(
    data: bytes,
    keys: list[Ed25519PublicKey],
    kiosk_id: str,
    site: str,
    now: datetime,
    revoked: set[str] | frozenset[str] = frozenset(),
) -> Token:
    """The token in `data` if it opens kiosk `kiosk_id` of `site` at `now`; else Refused."""
    if len(data) > MAX_BYTES:
        raise _malformed(f"the file is over {MAX_BYTES} bytes")
    try:
        whole = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _malformed("the file is not JSON") from None
    if not isinstance(whole, dict) or set(whole) != {"token", "signature"}:
        raise _malformed("the file is not a service token")
    body, signature = whole["token"], whole["signature"]
    if not isinstance(signature, str) or not isinstance(body, dict):
        raise _malformed("the file is not a service token")
    if not any(verify(key, signature, canonical_json(body)) for key in keys):
        raise Refused(
            "signature",
            "not signed by a service key this totem trusts",
            "non signé par une clé de service reconnue par cette borne",
        )
    token = _parse(body)
    if token.serial in revoked:
        raise Refused("revoked", f"serial {token.serial} is revoked", f"n° {token.serial} révoqué")
    if now < token.not_before:
        raise Refused(
            "not-yet-valid",
            f"not valid before {_iso(token.not_before)}",
            f"pas encore valable (à partir du {_iso(token.not_before)})",
        )
    if now >= token.expires:
        raise Refused(
            "expired", f"expired on {_iso(token.expires)}", f"expiré le {_iso(token.expires)}"
        )
    if token.kiosks and kiosk_id not in token.kiosks:
        raise Refused(
            "other-kiosk",
            f"made for {', '.join(token.kiosks)}, not {kiosk_id}",
            f"prévu pour {', '.join(token.kiosks)}, pas pour {kiosk_id}",
        )
    if token.site is not None and token.site != site:
        raise Refused(
            "other-kiosk",
            f"made for the site {token.site!r}, not {site!r}",
            f"prévu pour le site « {token.site} », pas « {site} »",
        )
    return token


def _parse(body: dict[str, Any]) -> Token:
    keys = set(body)
    if not (FIELDS <= keys and keys - FIELDS in ({"kiosks"}, {"site"})):
        raise _malformed("the token's fields are not technician, kiosks or site, dates, serial")
    technician, serial = body["technician"], body["serial"]
    if not isinstance(technician, str) or not 0 < len(technician.strip()) <= 80:
        raise _malformed("technician must be 1 to 80 characters")
    if not isinstance(serial, str) or not _SERIAL.fullmatch(serial):
        raise _malformed("serial must be 8 to 64 letters, digits or dashes")
    kiosks: tuple[str, ...] = ()
    site = None
    if "kiosks" in body:
        listed = body["kiosks"]
        if (
            not isinstance(listed, list)
            or not listed
            or not all(isinstance(k, str) and _KIOSK.fullmatch(k) for k in listed)
        ):
            raise _malformed("kiosks must list kiosk ids")
        kiosks = tuple(listed)
    else:
        site = body["site"]
        if not isinstance(site, str) or not 0 < len(site) <= 80:
            raise _malformed("site must be a name")
    not_before, expires = _time(body["not_before"]), _time(body["expires"])
    if not not_before < expires <= not_before + timedelta(days=MAX_DAYS):
        raise _malformed(f"a token is valid from 1 second to {MAX_DAYS} days")
    return Token(technician.strip(), kiosks, site, not_before, expires, serial)


def _time(value: Any) -> datetime:
    if not isinstance(value, str) or not value.endswith("Z"):
        raise _malformed("times must be UTC, like 2026-12-03T10:00:00Z")
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise _malformed("times must be UTC, like 2026-12-03T10:00:00Z") from None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _malformed(why: str) -> Refused:
    # The French line is for the totem's screen: what to do, the detail is in the audit log.
    return Refused("malformed", f"malformed token: {why}", "jeton illisible ou incomplet")
