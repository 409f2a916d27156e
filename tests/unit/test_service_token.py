"""The technician's service token: signed by the town hall, checked by a totem, every refusal
with its reason; and the clock floor that keeps an expired token expired."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from appliance.service import clock
from wire.protocol import b64, canonical_json
from wire.servicetoken import MAX_BYTES, Refused, check, issue

KEY = Ed25519PrivateKey.generate()
START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
SERIAL = "a1b2c3d4e5f60718"


def token(**options) -> bytes:
    fields = {"kiosks": ["hall-01", "annexe-02"], **options}
    return issue(KEY, "Camille (ACME Maintenance)", SERIAL, START, 30, **fields)


def opens(data: bytes, kiosk="hall-01", site="Mairie", now=START + timedelta(days=1), **kw):
    return check(data, [KEY.public_key()], kiosk, site, now, **kw)


def refusal(data: bytes, **kw) -> Refused:
    with pytest.raises(Refused) as caught:
        opens(data, **kw)
    return caught.value


def test_a_valid_token_opens_its_kiosks():
    found = opens(token())
    assert found.technician == "Camille (ACME Maintenance)" and found.serial == SERIAL
    assert found.expires == START + timedelta(days=30)
    assert opens(token(), kiosk="annexe-02")
    assert opens(token(kiosks=None, site="Mairie"), kiosk="any-kiosk")


def test_each_refusal_says_why():
    assert refusal(token(), kiosk="gare-03").code == "other-kiosk"
    assert "hall-01" in refusal(token(), kiosk="gare-03").fr
    assert refusal(token(kiosks=None, site="Mairie"), site="Ville voisine").code == "other-kiosk"
    assert refusal(token(), now=START - timedelta(seconds=1)).code == "not-yet-valid"
    assert refusal(token(), now=START + timedelta(days=30)).code == "expired"
    assert refusal(token(), revoked={SERIAL}).code == "revoked"
    other = Ed25519PrivateKey.generate()
    forged = issue(other, "Intrus", SERIAL, START, 30, kiosks=["hall-01"])
    assert refusal(forged).code == "signature"


def tampered(change) -> bytes:
    whole = json.loads(token())
    change(whole["token"])
    return json.dumps(whole).encode()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xfe",
        b"[]",
        b'{"token": {}, "signature": 1}',
        b" " * (MAX_BYTES + 1),
        b"[" * 100_000,
        tampered(lambda t: t.update(expires="2030-01-01T00:00:00Z")),  # breaks the signature
    ],
)
def test_anything_else_is_malformed_or_unsigned(data):
    assert refusal(data).code in ("malformed", "signature")


def signed_body(body: dict) -> bytes:
    return json.dumps({"token": body, "signature": b64(KEY.sign(canonical_json(body)))}).encode()


@pytest.mark.parametrize(
    "change",
    [
        {"expires": "2027-12-31T00:00:00Z"},  # over a year
        {"expires": "2026-11-30T00:00:00Z"},  # ends before it starts
        {"not_before": "2026-12-01 08:00:00"},  # not UTC ISO
        {"serial": "../../etc"},
        {"kiosks": []},
        {"kiosks": ["hall 01"]},
        {"technician": ""},
        {"site": "Mairie"},  # both kiosks and a site
    ],
)
def test_a_signed_but_impossible_token_is_malformed(change):
    body = {**json.loads(token())["token"], **change}
    assert refusal(signed_body(body)).code == "malformed"


def test_issuing_refuses_what_a_totem_would_refuse():
    with pytest.raises(ValueError, match="days"):
        issue(KEY, "Camille", SERIAL, START, 400, kiosks=["hall-01"])
    with pytest.raises(ValueError, match="either"):
        issue(KEY, "Camille", SERIAL, START, 3, kiosks=["hall-01"], site="Mairie")


def test_a_clock_set_back_does_not_revive_an_expired_token(tmp_path):
    expired_at = START + timedelta(days=30)
    assert clock.raise_floor(tmp_path, expired_at + timedelta(hours=1))  # the hub's time
    back_in_time = START + timedelta(days=2)  # the clock fell back (no RTC) or was set back
    now = clock.trusted_now(tmp_path, back_in_time)
    assert refusal(token(), now=now).code == "expired"
    assert not clock.raise_floor(tmp_path, back_in_time)  # the floor never goes down
    assert clock.floor(tmp_path) == expired_at + timedelta(hours=1)
    (tmp_path / clock.FLOOR_FILE).write_text("garbage")
    assert clock.trusted_now(tmp_path, back_in_time) == back_in_time  # damaged: system clock


def test_the_hubs_date_header_is_read_or_ignored():
    assert clock.from_http_date("Thu, 03 Dec 2026 11:30:09 GMT") == datetime(
        2026, 12, 3, 11, 30, 9, tzinfo=UTC
    )
    assert clock.from_http_date("yesterday") is None and clock.from_http_date(None) is None
