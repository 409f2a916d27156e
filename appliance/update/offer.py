"""Whether this totem takes a release the hub offers (pure: values in, a reason out).

Checked before a byte is downloaded: the manifest's signature by the town hall's content
key (pinned at enrolment), its shape, that it is newer than what runs (rollback
protection), and that the data partition holds the bundle while keeping room for the
outbox (a citizen's submission is never refused for an update's sake).
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from wire.protocol import canonical_json, verify
from wire.release import ReleaseError, newer, validate_manifest

# Kept free on the data partition whatever an update needs: the outbox, the journal.
OUTBOX_RESERVE_BYTES = 64 * 1024 * 1024


class UpdateRefused(ValueError):
    """A release this totem will not take; the message says why, for the hub and the log."""


def accepted(
    offer: Any,
    content_key: Ed25519PublicKey,
    running: str,
    free_bytes: int,
    already_have: int = 0,
) -> dict[str, Any]:
    """The offer's manifest if this totem takes it, else UpdateRefused with the reason.

    `already_have`: bytes of this bundle downloaded before an interruption.
    """
    if not isinstance(offer, dict) or not isinstance(offer.get("signature"), str):
        raise UpdateRefused("the hub's release offer has no signature")
    manifest = offer.get("manifest")
    try:
        body = canonical_json(manifest)
    except (TypeError, ValueError):
        raise UpdateRefused("the hub's release manifest is not JSON") from None
    if not verify(content_key, offer["signature"], body):
        raise UpdateRefused("the release manifest is not signed by the town hall's key")
    try:
        manifest = validate_manifest(manifest)
    except ReleaseError as error:
        raise UpdateRefused(str(error)) from None
    if not newer(manifest["version"], running):
        raise UpdateRefused(f"release {manifest['version']} is not newer than {running}: refused")
    needed = manifest["size"] - already_have + OUTBOX_RESERVE_BYTES
    if free_bytes < needed:
        raise UpdateRefused(
            f"the data partition has {free_bytes // 2**20} MiB free; release "
            f"{manifest['version']} needs {needed // 2**20} MiB with room kept for the outbox"
        )
    return manifest
