"""The town hall's content as the hub serves it: verified, then cached for the UI.

Content is accepted only with a valid signature by the town hall's key (pinned at
enrolment or given in totem.toml) over `canonical_json(content)`, and only if it has the
shape the UI expects. The cache `data_dir/content.json` is replaced atomically; the UI
watches its modification time and reloads. Refused content never touches the cache, so
the last good content stays on screen.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from appliance.content import CACHE_FILENAME
from appliance.durable import write_atomically
from wire.content import ContentError, validate_content
from wire.protocol import canonical_json, load_public_key, verify


class ContentRefused(Exception):
    """Content from the hub that the kiosk must not show (bad signature or bad shape)."""


def verified_content(body: dict[str, Any], content_key: str) -> tuple[dict[str, Any], str]:
    """(content, signature) from a hub answer, or ContentRefused saying why."""
    if not content_key:
        raise ContentRefused(
            "no content key: the hub gave none at enrolment and totem.toml has no hub.content_key"
        )
    try:
        public_key = load_public_key(content_key)
    except ValueError as error:
        raise ContentRefused(f"the content key is unusable: {error}") from None
    content, signature = body.get("content"), body.get("signature")
    if not isinstance(signature, str) or not verify(public_key, signature, canonical_json(content)):
        raise ContentRefused("the content's signature does not match the town hall's key")
    try:
        validate_content(content)
    except ContentError as error:
        raise ContentRefused(f"the signed content is malformed: {error}") from None
    return content, signature


def cached_etag(data_dir: str | Path) -> str | None:
    try:
        etag = json.loads((Path(data_dir) / CACHE_FILENAME).read_text(encoding="utf-8"))["etag"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return etag if isinstance(etag, str) and etag else None


def store_content(
    data_dir: str | Path, content: dict[str, Any], signature: str, etag: str | None
) -> None:
    cache = {"content": content, "signature": signature, "etag": etag or ""}
    write_atomically(
        Path(data_dir) / CACHE_FILENAME, json.dumps(cache, ensure_ascii=False).encode()
    )
