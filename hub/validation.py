"""The shape of one uploaded submission, checked item by item (pure).

A bad item is rejected on its own; the rest of the batch is stored. The payload shapes are
documented in hub/README.md.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

KINDS = ("idea", "rating", "vote")
MAX_BATCH = 100
MAX_TEXT = 4000
MAX_ID = 64


class ItemError(ValueError):
    """Why one submission was rejected, in one sentence for the kiosk's log."""


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    kiosk_id: str
    created_at: str
    content_version: str | None
    payload: dict[str, Any]


def parse_item(raw: Any, sender: str) -> Item:
    """An Item from one element of `submissions`, or ItemError naming what is wrong."""
    if not isinstance(raw, dict):
        raise ItemError("a submission must be a JSON object")
    item_id = raw.get("id")
    if not isinstance(item_id, str) or not _is_uuid(item_id):
        raise ItemError("id must be a UUID")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ItemError(f"kind must be one of {', '.join(KINDS)}")
    kiosk_id = raw.get("kiosk_id", sender)
    if kiosk_id != sender:
        raise ItemError("kiosk_id differs from the kiosk that signed the request")
    created_at = raw.get("created_at")
    if not isinstance(created_at, str) or not 0 < len(created_at) <= 40:
        raise ItemError("created_at must be a timestamp string")
    version = raw.get("content_version")
    if version is not None and (not isinstance(version, str) or len(version) > MAX_ID):
        raise ItemError("content_version must be a short string")
    payload = raw.get("payload")
    if not isinstance(payload, dict):
        raise ItemError("payload must be a JSON object")
    PAYLOAD_CHECKS[kind](payload)
    return Item(str(uuid.UUID(item_id)), kind, sender, created_at, version, payload)


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _text(payload: dict[str, Any], key: str, *, required: bool, limit: int = MAX_TEXT) -> None:
    value = payload.get(key)
    if not required and (value is None or (isinstance(value, str) and not value.strip())):
        return  # an optional text left empty is no text: totems in the field send "" for it
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ItemError(f"payload.{key} must be a non-empty text of at most {limit} characters")


def _check_idea(payload: dict[str, Any]) -> None:
    _text(payload, "text", required=True)
    _text(payload, "category", required=False, limit=MAX_ID)


def _check_rating(payload: dict[str, Any]) -> None:
    _text(payload, "service", required=True, limit=MAX_ID)
    stars = payload.get("stars")
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ItemError("payload.stars must be a whole number from 1 to 5")
    _text(payload, "comment", required=False)


def _check_vote(payload: dict[str, Any]) -> None:
    _text(payload, "consultation", required=True, limit=MAX_ID)
    _text(payload, "choice", required=True, limit=MAX_ID)
    _text(payload, "session", required=False, limit=MAX_ID)
    _text(payload, "code", required=False, limit=MAX_ID)


PAYLOAD_CHECKS = {"idea": _check_idea, "rating": _check_rating, "vote": _check_vote}
