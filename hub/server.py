"""Serving the hub with Cheroot, CherryPy's production HTTP server (threaded, TLS built in)."""

from __future__ import annotations

import logging
import signal
import ssl
import threading
from pathlib import Path

from cheroot import wsgi
from cheroot.ssl.builtin import BuiltinSSLAdapter
from sqlalchemy import Engine

from hub.app import create_app

log = logging.getLogger("totem.hub")


# Cheroot's TLS adapter shakes hands on the thread that accepts connections: a client that
# connects and stays silent holds up every new connection for as long as this lasts. A real
# handshake takes well under a second, even a kiosk's over a mobile link.
HANDSHAKE_SECONDS = 4


class _TLSAdapter(BuiltinSSLAdapter):
    def wrap(self, sock):
        sock.settimeout(HANDSHAKE_SECONDS)  # cheroot sets its own timeout again afterwards
        return super().wrap(sock)


class ServeError(Exception):
    """The hub cannot listen as asked; one sentence."""


def parse_listen(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise ServeError(f"--listen {text!r} must be HOST:PORT, e.g. 127.0.0.1:8750")
    return host.strip("[]") or "0.0.0.0", int(port)


def build_server(
    engine: Engine, listen: str, tls_cert: str | None = None, tls_key: str | None = None
) -> wsgi.Server:
    host, port = parse_listen(listen)
    app = create_app(engine, secure_cookies=bool(tls_cert))
    server = wsgi.Server((host, port), app, numthreads=16, server_name="totem-hub")
    server.max_request_body_size = 2 * 1024 * 1024  # the app answers 413 above 1 MiB itself
    if tls_cert or tls_key:
        if not (tls_cert and tls_key):
            raise ServeError("--tls-cert and --tls-key go together")
        for path in (tls_cert, tls_key):
            if not Path(path).is_file():
                raise ServeError(f"TLS file {path} does not exist")
        try:
            ssl.create_default_context().load_cert_chain(tls_cert, tls_key)
        except (ssl.SSLError, OSError) as error:
            raise ServeError(f"cannot use the TLS certificate and key: {error}") from None
        server.ssl_adapter = _TLSAdapter(tls_cert, tls_key)
    return server


def serve(server: wsgi.Server) -> None:
    """Serve until SIGTERM or Ctrl-C, then finish the requests in flight.

    Cheroot's loop runs in its own thread and the signal only sets an event: an exception
    raised by the signal handler inside cheroot's code (in the middle of a TLS handshake or
    holding one of its locks) could leave stop() waiting forever. CherryPy drives cheroot the
    same way, stop() from one thread while serve() runs in another.
    """
    stopping = threading.Event()

    def _stop(_signum, _frame):
        stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        server.prepare()
    except OSError as error:
        raise ServeError(
            f"cannot listen on {server.bind_addr}: {error.strerror or error}"
        ) from None
    scheme = "https" if server.ssl_adapter else "http"
    host, port = server.bind_addr[:2]
    log.info("totem-hub listening on %s://%s:%s", scheme, host, port)
    failure: list[BaseException] = []

    def _run():
        try:
            server.serve()
        except BaseException as error:  # handed to the main thread, which reports it
            failure.append(error)
            stopping.set()

    serving = threading.Thread(target=_run, name="totem-hub-serve", daemon=True)
    serving.start()
    # A timed wait, so that the signal handler runs promptly in the main thread.
    while not stopping.wait(0.5):
        pass
    log.info("totem-hub stopping")
    server.stop()
    serving.join(server.shutdown_timeout + 5)
    if failure:
        raise failure[0]
