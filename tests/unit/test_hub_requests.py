"""The hub's checks on what a kiosk sends: signatures, time window, and submission shapes."""

from __future__ import annotations

import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.signedrequest import Refused, check_signed_request
from hub.validation import ItemError, parse_item
from wire.protocol import b64, public_key_b64, request_message

NOW = 1_800_000_000
KEY = Ed25519PrivateKey.generate()
KEYS = {"hall-01": public_key_b64(KEY)}


def signed(body: bytes = b"{}", *, timestamp: int = NOW, key=KEY, nonce: str = "0a" * 8):
    signature = key.sign(request_message("POST", "/api/v1/heartbeat", timestamp, nonce, body))
    return {
        "X-Totem-Kiosk": "hall-01",
        "X-Totem-Timestamp": str(timestamp),
        "X-Totem-Nonce": nonce,
        "X-Totem-Signature": b64(signature),
    }


def check(headers, body: bytes = b"{}", path: str = "/api/v1/heartbeat"):
    return check_signed_request("POST", path, headers, body, NOW, KEYS.get)


def test_a_well_signed_request_names_its_kiosk_and_nonce():
    assert check(signed()) == ("hall-01", "0a" * 8)


@pytest.mark.parametrize(
    "headers, body, reason",
    [
        (signed(timestamp=NOW - 301), b"{}", "outside the window"),
        (signed(timestamp=NOW + 301), b"{}", "outside the window"),
        (signed(key=Ed25519PrivateKey.generate()), b"{}", "bad signature"),
        (signed(b"{}"), b'{"changed": 1}', "bad signature"),
        (signed(nonce="short"), b"{}", "nonce"),
        ({**signed(), "X-Totem-Kiosk": "hall-02"}, b"{}", "unknown kiosk"),
        ({**signed(), "X-Totem-Signature": "%%%"}, b"{}", "bad signature"),
        ({}, b"{}", "missing"),
    ],
)
def test_forged_stale_or_incomplete_requests_are_refused_with_401(headers, body, reason):
    with pytest.raises(Refused) as refused:
        check(headers, body)
    assert refused.value.status == 401
    assert reason in refused.value.reason


def test_a_signature_is_bound_to_its_path():
    with pytest.raises(Refused):
        check(signed(), path="/api/v1/submissions")


def item(kind: str = "idea", **payload) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "created_at": "2026-11-28T04:00:00+00:00",
        "content_version": "demo-1",
        "kiosk_id": "hall-01",
        "payload": payload or {"text": "Des bancs"},
    }


def test_well_formed_items_of_each_kind_are_accepted():
    assert parse_item(item(), "hall-01").kind == "idea"
    assert parse_item(item("rating", service="cantine", stars=5), "hall-01").payload["stars"] == 5
    vote = parse_item(item("vote", consultation="c", choice="oui", code="ABCDE-FGHJK"), "hall-01")
    assert vote.payload["code"] == "ABCDE-FGHJK"


def test_a_rating_without_a_comment_is_accepted_however_the_totem_says_so():
    # Totems before this fix sent "comment": "" for a rating without comment, and the hub
    # refused every one of them (seen in the QEMU update test's outbox): empty is absent.
    for comment in ({}, {"comment": ""}, {"comment": "  "}):
        rated = parse_item(item("rating", service="cantine", stars=4, **comment), "hall-01")
        assert rated.payload["stars"] == 4


@pytest.mark.parametrize(
    "raw",
    [
        "not an object",
        {**item(), "id": "123"},
        {**item(), "kind": "petition"},
        {**item(), "kiosk_id": "someone-else"},
        {**item(), "payload": []},
        item(text=""),
        item(text="x" * 4001),
        item("rating", service="cantine", stars=0),
        item("rating", service="cantine", stars=True),
        item("rating", service="cantine", stars="5"),
        item("rating", service="cantine", stars=4, comment=7),
        item("rating", service="cantine", stars=4, comment="x" * 4001),
        item("vote", consultation="c"),
    ],
)
def test_items_of_the_wrong_shape_are_rejected_one_by_one(raw):
    with pytest.raises(ItemError):
        parse_item(raw, "hall-01")
