"""Two HTTPS sites on loopback for the site-visit tests, and the way the browser reaches
them: the tile's own, www.ville-test.fr on 127.0.0.1, and one a visit must never reach,
interdit.example on 127.0.0.2, both signed by a town-hall CA and named by a private
/etc/hosts bound over the real one in a mount namespace the browser starts in, as nobody
(cage refuses root). Needs root.
"""

from __future__ import annotations

import os
import shutil
import ssl
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tls_support import town_hall_pki

SITE, FORBIDDEN = "www.ville-test.fr", "interdit.example"
PORT = 8443
NOBODY = 65534
# cage without a screen or an input device: wlroots' headless backend, drawn in memory.
HEADLESS = {"WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman"}


class Site(BaseHTTPRequestHandler):
    pages: dict[str, tuple[str, bytes]] = {}
    seen: list[str]

    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.seen.append(self.path)
        kind, body = self.pages.get(self.path, ("text/plain", b"not found"))
        self.send_response(200 if self.path in self.pages else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@dataclass
class SiteWorld:
    ca: Path  # the town hall's CA certificate ([hub] ca_bundle)
    cert: Path
    key: Path
    hosts: Path  # the private /etc/hosts
    runtime: Path  # the visit's runtime directory (nobody's)

    def browser_prefix(self) -> list[str]:
        """The command the browser starts under: its own /etc/hosts, then nobody."""
        return [
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            'mount --bind "$0" /etc/hosts && exec setpriv --reuid=65534 --regid=65534 '
            '--clear-groups --inh-caps=-all "$@"',
            str(self.hosts),
        ]

    def serve(self, address: str, pages: dict) -> tuple[ThreadingHTTPServer, list[str]]:
        """An HTTPS server on `address`:PORT with `pages`; the paths it was asked for."""
        seen: list[str] = []
        handler = type("Handler", (Site,), {"pages": pages, "seen": seen})
        server = ThreadingHTTPServer((address, PORT), handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server, seen

    def visits_left(self) -> list[Path]:
        return sorted(self.runtime.glob("totem-visit-*"))


@contextmanager
def site_world() -> Iterator[SiteWorld]:
    # Under /tmp itself: nobody must reach it (pytest's own directories are root's, 0700).
    top = Path(tempfile.mkdtemp(prefix="totem-sites-"))
    try:
        os.chmod(top, 0o755)
        pki = town_hall_pki(top, (SITE, FORBIDDEN))
        for path in pki:
            os.chmod(path, 0o644)
        hosts = top / "hosts"
        hosts.write_text(f"127.0.0.1 localhost\n127.0.0.1 {SITE}\n127.0.0.2 {FORBIDDEN}\n")
        runtime = top / "run"
        runtime.mkdir(mode=0o700)
        os.chown(runtime, NOBODY, NOBODY)
        yield SiteWorld(pki[0], pki[1], pki[2], hosts, runtime)
    finally:
        shutil.rmtree(top, ignore_errors=True)
