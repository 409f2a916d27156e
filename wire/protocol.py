"""Wire formats shared by the kiosk and the hub: one place for what both sides sign.

- Device requests are signed with the kiosk's Ed25519 key over `request_message()`.
- Content is signed with the town hall's Ed25519 key over `canonical_json(content)`.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

API_PREFIX = "/api/v1"
HEADER_KIOSK = "X-Totem-Kiosk"
HEADER_TIMESTAMP = "X-Totem-Timestamp"
HEADER_NONCE = "X-Totem-Nonce"
HEADER_SIGNATURE = "X-Totem-Signature"
TIMESTAMP_WINDOW_SECONDS = 300  # requests older or newer than this are replays or bad clocks


def canonical_json(value: Any) -> bytes:
    """The byte string both sides hash and sign: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def request_message(method: str, path: str, timestamp: int, nonce: str, body: bytes) -> bytes:
    """What a kiosk signs for one request: method, path, time, nonce and the body's hash."""
    digest = hashlib.sha256(body).hexdigest()
    return f"{method.upper()}\n{path}\n{timestamp}\n{nonce}\n{digest}".encode()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def public_key_b64(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return b64(public.public_bytes(Encoding.Raw, PublicFormat.Raw))


def load_public_key(text: str) -> Ed25519PublicKey:
    """Decode a base64 raw Ed25519 public key; ValueError when it is not one."""
    try:
        return Ed25519PublicKey.from_public_bytes(unb64(text.strip()))
    except (ValueError, TypeError) as error:
        raise ValueError(f"not a base64 Ed25519 public key: {error}") from None


def verify(public_key: Ed25519PublicKey, signature_b64: str, message: bytes) -> bool:
    try:
        public_key.verify(unb64(signature_b64), message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
