"""A kiosk's request, signed: the headers the hub checks (hub/signedrequest.py).

Written once for the kiosk's sync, the hub's benchmark and the tests.
"""

from __future__ import annotations

import os
import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from wire.protocol import (
    HEADER_KIOSK,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    b64,
    request_message,
)


def signed_headers(
    key: Ed25519PrivateKey,
    kiosk_id: str,
    method: str,
    path: str,
    body: bytes,
    *,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The signature headers of one request (`path` as the hub sees it, `/api/v1/...`)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    nonce = os.urandom(16).hex() if nonce is None else nonce
    signature = key.sign(request_message(method, path, timestamp, nonce, body))
    return {
        HEADER_KIOSK: kiosk_id,
        HEADER_TIMESTAMP: str(timestamp),
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: b64(signature),
    }
