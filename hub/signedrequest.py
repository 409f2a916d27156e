"""Checking a kiosk's signed request: headers, timestamp window, key and signature.

Every refusal is a `Refused` carrying the HTTP status and a sentence for the log; the
order of the checks puts the cheap ones first and touches the database last.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from wire.protocol import (
    HEADER_KIOSK,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    TIMESTAMP_WINDOW_SECONDS,
    load_public_key,
    request_message,
    verify,
)

NONCE_PATTERN = re.compile(r"[0-9a-fA-F]{16,128}")
KIOSK_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
TIMESTAMP_PATTERN = re.compile(r"[0-9]{1,12}")


class Refused(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def check_signed_request(
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
    now: int,
    public_key_of: Callable[[str], str | None],
) -> tuple[str, str]:
    """(kiosk id, nonce) of a validly signed request; Refused(401) naming what is wrong.

    The caller still has to claim the nonce (store.NonceBook) to refuse a replay.
    """
    kiosk_id = headers.get(HEADER_KIOSK, "")
    timestamp = headers.get(HEADER_TIMESTAMP, "")
    nonce = headers.get(HEADER_NONCE, "")
    signature = headers.get(HEADER_SIGNATURE, "")
    if not (kiosk_id and timestamp and nonce and signature):
        raise Refused(401, "missing signature headers")
    if not KIOSK_PATTERN.fullmatch(kiosk_id):
        raise Refused(401, "malformed kiosk id")
    # str.isdigit() also takes "²" and other scripts' digits, which int() refuses.
    if not TIMESTAMP_PATTERN.fullmatch(timestamp):
        raise Refused(401, "malformed timestamp")
    if abs(int(timestamp) - now) > TIMESTAMP_WINDOW_SECONDS:
        raise Refused(401, f"timestamp {timestamp} is outside the window (now {now})")
    if not NONCE_PATTERN.fullmatch(nonce):
        raise Refused(401, "the nonce must be 16 to 128 hexadecimal characters")
    key_text = public_key_of(kiosk_id)
    if key_text is None:
        raise Refused(401, f"unknown kiosk {kiosk_id!r}")
    message = request_message(method, path, int(timestamp), nonce, body)
    if not verify(load_public_key(key_text), signature, message):
        raise Refused(401, f"bad signature from kiosk {kiosk_id!r}")
    return kiosk_id, nonce
