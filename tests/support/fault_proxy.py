"""A fault-injecting HTTP proxy between the kiosk's sync process and the hub.

Each request meets, at random (seeded), one of the failures a town-hall network produces:
the hub's 5xx, a connection reset before the hub saw the request, a request that hangs
until the client gives up, or — the case that tests exactly-once delivery — the hub
commits the request and its answer is lost on the way back. Other requests pass through.
A `tamper` function may also rewrite answers, as a man in the middle would.
"""

from __future__ import annotations

import http.client
import random
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

FAULTS = ("error_before", "reset_before", "hang", "lost_after_commit", "error_after_commit")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}

# (method, path, status, headers, body) of an answer -> the (status, headers, body) to send
Tamper = Callable[[str, str, int, dict, bytes], tuple[int, dict, bytes]]


class FaultProxy:
    def __init__(
        self,
        upstream: str,
        faults: dict[str, float] | None = None,
        *,
        seed: int = 0,
        hang_seconds: float = 3.0,
        tamper: Tamper | None = None,
    ):
        unknown = set(faults or {}) - set(FAULTS)
        assert not unknown, f"unknown faults {unknown}"
        self.upstream = urlsplit(upstream)
        self.faults = dict(faults or {})
        self.rng = random.Random(seed)
        self.hang_seconds = hang_seconds
        self.tamper = tamper
        self.injected: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def pick_fault(self) -> str | None:
        with self._lock:
            roll = self.rng.random()
            for fault, probability in self.faults.items():
                if roll < probability:
                    self.injected[fault] += 1
                    return fault
                roll -= probability
            self.injected["passed"] += 1
            return None

    def forward(self, method: str, path: str, headers: dict, body: bytes):
        connection = http.client.HTTPConnection(
            self.upstream.hostname, self.upstream.port, timeout=60
        )
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()


def _handler_for(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self._relay()

        def do_POST(self) -> None:
            self._relay()

        def _relay(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            fault = proxy.pick_fault()
            if fault == "error_before":
                return self._answer(503, {}, b'{"error": "injected"}')
            if fault == "reset_before":
                return self._reset()
            if fault == "hang":
                time.sleep(proxy.hang_seconds)
                return self._reset()
            status, answer_headers, answer = proxy.forward(self.command, self.path, headers, body)
            if fault == "lost_after_commit":
                return self._reset()
            if fault == "error_after_commit":
                return self._answer(502, {}, b'{"error": "injected"}')
            if proxy.tamper is not None:
                status, answer_headers, answer = proxy.tamper(
                    self.command, self.path, status, answer_headers, answer
                )
            self._answer(status, answer_headers, answer)

        def _answer(self, status: int, headers: dict, body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                if name.lower() not in HOP_BY_HOP and name.lower() not in ("date", "server"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True

        def _reset(self) -> None:
            # SO_LINGER 0: close() sends RST, as a dropped NAT entry or a crashed router does.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True

    return Handler
