"""A hub that lies: an answer nested a hundred thousand deep is "not JSON" for the sync,
which then backs off like for any unusable hub, instead of the process dying."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from appliance.sync.client import HubClient, HubUnavailable

DEEP = b"[" * 100_000 + b"]" * 100_000


class _Liar(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(DEEP)))
        self.end_headers()
        self.wfile.write(DEEP)

    do_GET = do_POST = _answer


@pytest.fixture
def liar():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Liar)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_answer_nested_too_deep_is_an_unusable_hub_not_a_crash(liar):
    client = HubClient(liar, kiosk_id="hall-01", key=Ed25519PrivateKey.generate())
    try:
        for call in (
            lambda: client.enrol("token", "key"),
            lambda: client.upload([]),
            lambda: client.fetch_content(None),
        ):
            with pytest.raises(HubUnavailable, match="is not JSON"):
                call()
    finally:
        client.close()
