"""The kiosks' API (`/api/v1`): enrolment, signed uploads, heartbeats and content.

Every refusal is a JSON `{"error": ...}` with a 4xx status, logged with the peer address;
nothing a kiosk sends can take the hub down.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request, send_file

from hub import audit, content, releases, store
from hub.signedrequest import KIOSK_PATTERN, Refused, check_signed_request
from hub.validation import MAX_BATCH, ItemError, parse_item
from wire.protocol import API_PREFIX, load_public_key

MAX_BODY = 1024 * 1024
log = logging.getLogger("totem.hub.api")
api = Blueprint("api", __name__, url_prefix=API_PREFIX)


def _engine():
    return current_app.config["HUB_ENGINE"]


@api.errorhandler(Refused)
def _refused(error: Refused) -> tuple[Response, int]:
    log.warning(
        "refused %s %s from %s: %s", request.method, request.path, request.remote_addr, error.reason
    )
    return jsonify(error=error.reason), error.status


def _body() -> bytes:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise Refused(413, f"body of {request.content_length} bytes is over {MAX_BODY}")
    body = request.stream.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        raise Refused(413, f"body is over {MAX_BODY} bytes")
    return body


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested too deep to be honest
        raise Refused(400, "the body is not valid JSON") from None
    if not isinstance(value, dict):
        raise Refused(400, "the body must be a JSON object")
    return value


def _verified() -> tuple[str, str, bytes]:
    """(kiosk id, nonce, body) of a correctly signed request whose nonce is not yet claimed."""
    body = _body()
    kiosk_id, nonce = check_signed_request(
        request.method,
        request.path,
        request.headers,
        body,
        int(time.time()),
        lambda kiosk: store.kiosk_public_key(_engine(), kiosk),
    )
    g.kiosk_id = kiosk_id
    return kiosk_id, nonce, body


def _replayed(kiosk_id: str) -> Refused:
    return Refused(401, f"replayed nonce from kiosk {kiosk_id!r}")


def _signed() -> tuple[str, bytes]:
    """(kiosk id, body) of a correctly signed request seen for the first time."""
    kiosk_id, nonce, body = _verified()
    if not current_app.config["HUB_NONCES"].first_use(kiosk_id, nonce, int(time.time())):
        raise _replayed(kiosk_id)
    return kiosk_id, body


@api.post("/enrol")
def enrol() -> tuple[Response, int]:
    body = _json_object(_body())
    token, kiosk_id, public_key = (body.get(k) for k in ("token", "kiosk_id", "public_key"))
    if not all(isinstance(v, str) and v for v in (token, kiosk_id, public_key)):
        raise Refused(400, "enrolment needs token, kiosk_id and public_key")
    if not KIOSK_PATTERN.fullmatch(kiosk_id):
        raise Refused(400, "kiosk_id must be 1 to 64 letters, digits, dots, dashes or underscores")
    try:
        load_public_key(public_key)
    except ValueError:
        raise Refused(400, "public_key is not a base64 Ed25519 public key") from None
    try:
        store.enrol(_engine(), token, kiosk_id, public_key.strip())
    except store.EnrolmentRefused as error:
        raise Refused(403, f"enrolment of {kiosk_id!r} refused: {error}") from None
    log.info("kiosk %s enrolled from %s", kiosk_id, request.remote_addr)
    return jsonify(kiosk_id=kiosk_id, content_key=content.content_public_key(_engine())), 201


@api.post("/submissions")
def submissions() -> Response:
    kiosk_id, nonce, body = _verified()
    nonce_book = current_app.config["HUB_NONCES"]
    try:
        raw_items = _json_object(body).get("submissions")
        if not isinstance(raw_items, list):
            raise Refused(400, "submissions must be a list")
        if len(raw_items) > MAX_BATCH:
            raise Refused(413, f"at most {MAX_BATCH} submissions per request")
    except Refused:
        # A refused body still uses up its nonce, so a replay of it is told apart (401).
        if not nonce_book.first_use(kiosk_id, nonce, int(time.time())):
            raise _replayed(kiosk_id) from None
        raise
    parsed = []
    for raw in raw_items:
        try:
            parsed.append(parse_item(raw, kiosk_id))
        except ItemError as error:
            item_id = raw.get("id") if isinstance(raw, dict) else None
            parsed.append((str(item_id) if item_id is not None else "", error))
    try:
        results = store.store_batch(
            _engine(),
            parsed,
            lambda connection: nonce_book.claim(connection, kiosk_id, nonce, int(time.time())),
        )
    except store.ReplayedNonce:
        raise _replayed(kiosk_id) from None
    rejected = [r for r in results if r.status == "rejected"]
    if rejected:
        log.warning(
            "kiosk %s: %d of %d submissions rejected (first: %s)",
            kiosk_id,
            len(rejected),
            len(results),
            rejected[0].error,
        )
    return jsonify(results=[r.as_json() for r in results])


@api.post("/heartbeat")
def heartbeat() -> Response:
    """Recorded; answered with the release offered to this kiosk, if any (hub/releases.py)."""
    kiosk_id, body = _signed()
    report = _json_object(body)
    engine = _engine()
    store.record_heartbeat(engine, kiosk_id, report)
    audit.record(engine, kiosk_id, report.get("audit"))
    releases.record_update_report(engine, kiosk_id, report.get("update"))
    offer = releases.offer_for(releases.all_releases(engine), kiosk_id, report.get("version"))
    if offer is None:
        return jsonify({})
    return jsonify(release=releases.signed_offer(engine, offer))


@api.get("/releases/<version>/bundle")
def release_bundle(version: str) -> Response:
    """A release's bundle, to kiosks it is offered to; `Range` resumes a cut download."""
    kiosk_id, _ = _signed()
    found = releases.release(_engine(), version)
    if found is None or not releases.in_rollout(found, kiosk_id):
        raise Refused(404, f"no release {version!r} for kiosk {kiosk_id!r}")
    try:
        return send_file(
            found.path,
            mimetype="application/octet-stream",
            conditional=True,  # Range and If-Range: answers 206 with the rest of the file
            etag=found.sha256,
            max_age=0,
        )
    except FileNotFoundError:
        log.error("release %s: bundle %s is missing from the release store", version, found.path)
        raise Refused(404, f"release {version!r} has no bundle on this hub") from None


@api.get("/content")
def get_content() -> Response:
    _signed()
    published = content.current_or_demo(_engine())
    if content.etag_matches(request.headers.get("If-None-Match"), published.etag):
        response = Response(status=304)
    else:
        response = jsonify(content=published.content, signature=published.signature)
    response.headers["ETag"] = published.etag
    return response
