"""A site visit in the real browser: Debian's WebKitGTK under cage (headless), the visit's
policy against two HTTPS sites on loopback — the tile's own, www.ville-test.fr, and one it
must never reach, interdit.example — named by a private /etc/hosts in a mount namespace.

The tile's page carries an iframe, a script, an image and a request to the forbidden
host, a `window.open`, a download link and a file:// link; its script then walks the
visit through them. Only the allowed loads may reach a server; the profile is gone after.
Needs root (the mount namespace, then the browser runs as nobody: cage refuses root).
"""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from tls_support import town_hall_pki

from appliance.sites.visit import CAGE, SiteVisit

SITE, FORBIDDEN = "www.ville-test.fr", "interdit.example"
PORT = 8443
NOBODY = 65534

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root (mount namespace, user switch)"),
    pytest.mark.skipif(
        not (Path(CAGE).exists() and shutil.which("Xwayland")),
        reason="cage and Xwayland are not installed",
    ),
]

TILE_PAGE = f"""<!doctype html><html><head><title>Ville test</title>
<script src="https://{FORBIDDEN}:{PORT}/script.js"></script></head><body>
<h1>Mairie</h1>
<iframe src="https://{FORBIDDEN}:{PORT}/frame"></iframe>
<img src="https://{FORBIDDEN}:{PORT}/pixel.png">
<script>
fetch("https://{FORBIDDEN}:{PORT}/fetch").catch(() => {{}});
window.open("https://{FORBIDDEN}:{PORT}/popup");
window.open("/popup-allowed");
// Then the page itself tries to go where it may not: each refused step leaves it here.
const steps = ["/file.bin", "file:///etc/hostname", "https://{FORBIDDEN}:{PORT}/page"];
steps.forEach((url, i) => setTimeout(() => {{ location.href = url; }}, 1500 * (i + 1)));
</script></body></html>"""
SITE_PAGES = {
    "/": ("text/html", TILE_PAGE.encode()),
    "/file.bin": ("application/octet-stream", b"\0" * 1000),
    "/popup-allowed": ("text/html", b"<title>popup</title>"),
}


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


def serve(address: str, pages: dict, pki) -> tuple[ThreadingHTTPServer, list[str]]:
    seen: list[str] = []
    handler = type("Handler", (Site,), {"pages": pages, "seen": seen})
    server = ThreadingHTTPServer((address, PORT), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki[1], pki[2])
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


@pytest.fixture
def world():
    # Under /tmp itself: nobody must reach it (pytest's own directories are root's, 0700).
    top = Path(tempfile.mkdtemp(prefix="totem-sites-"))
    os.chmod(top, 0o755)
    pki = town_hall_pki(top, (SITE, FORBIDDEN))
    for path in pki:
        os.chmod(path, 0o644)
    hosts = top / "hosts"
    hosts.write_text(f"127.0.0.1 localhost\n127.0.0.1 {SITE}\n127.0.0.2 {FORBIDDEN}\n")
    runtime = top / "run"
    runtime.mkdir(mode=0o700)
    os.chown(runtime, NOBODY, NOBODY)
    yield pki, hosts, runtime
    shutil.rmtree(top, ignore_errors=True)


def start(url: str, world, allow=()) -> SiteVisit:
    pki, hosts, runtime = world
    prefix = [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        'mount --bind "$0" /etc/hosts && exec setpriv --reuid=65534 --regid=65534 '
        '--clear-groups --inh-caps=-all "$@"',
        str(hosts),
    ]
    headless = {
        "WLR_BACKENDS": "headless",
        "WLR_LIBINPUT_NO_DEVICES": "1",
        "WLR_RENDERER": "pixman",
    }
    return SiteVisit(url, allow, "Ville test", str(pki[0]), runtime, prefix, headless)


def events_until(visit: SiteVisit, wanted, timeout=60.0) -> list[dict]:
    said, end = [], time.monotonic() + timeout
    while time.monotonic() < end:
        event = visit.next_event(end - time.monotonic())
        if event is None:
            continue
        said.append(event)
        if wanted(event) or event["event"] == "ended":
            break
    return said


@pytest.fixture
def servers(world):
    pki = world[0]
    site, site_seen = serve("127.0.0.1", SITE_PAGES, pki)
    other, other_seen = serve("127.0.0.2", {}, pki)
    yield site_seen, other_seen
    site.shutdown()
    other.shutdown()


def test_only_the_allowed_site_loads(world, servers):
    site_seen, other_seen = servers
    visit = start(f"https://{SITE}:{PORT}/", world)
    said = events_until(visit, lambda e: e["event"] == "refusal-shown", timeout=90)
    outcome = visit.close()
    by_kind = {}
    for event in said:
        by_kind.setdefault(event["event"], []).append(event.get("url"))
    print(said)
    assert by_kind["shown"] == [f"https://{SITE}:{PORT}/"]
    # The town hall's own CA (TLS), the page, then the download asked and dropped.
    assert "/" in site_seen
    assert f"https://{SITE}:{PORT}/file.bin" in by_kind["refused"]
    # file:// from a web page: WebKit stops it before asking; the page never leaves.
    assert not [url for url in by_kind["loaded"] if not url.startswith(f"https://{SITE}")]
    # The forbidden host: its frame refused, and its page shown refused with the way back.
    assert f"https://{FORBIDDEN}:{PORT}/frame" in by_kind["refused"]
    assert by_kind["refusal-shown"] == [f"https://{FORBIDDEN}:{PORT}/page"]
    # Script, image, request, frame, window, page: not one reached the forbidden server.
    assert other_seen == []
    assert outcome == "closed"
    assert not visit.profile.exists()


def test_close_ends_the_visit_and_leaves_nothing(world, servers):
    visit = start(f"https://{SITE}:{PORT}/", world)
    said = events_until(visit, lambda e: e["event"] == "shown", timeout=90)
    assert said[-1]["event"] == "shown"
    assert visit.profile.is_dir()
    visit.tell("countdown 20")
    visit.tell("continue")
    assert visit.close() == "closed"
    assert not visit.profile.exists()


def test_a_crashed_page_ends_the_visit(world, servers):
    visit = start(f"https://{SITE}:{PORT}/", world)
    events_until(visit, lambda e: e["event"] == "shown", timeout=90)
    # The engine's page process dies (out of memory, a WebKit bug): the browser says so
    # and ends, so the kiosk takes the screen back instead of leaving a dead page.
    subprocess.run(["pkill", "-KILL", "-u", str(NOBODY), "-f", "WebKitWebProcess"], check=True)
    said = events_until(visit, lambda e: e["event"] == "crashed", timeout=30)
    assert said[-1]["event"] == "crashed"
    assert visit.close() == "crashed"
    assert not visit.profile.exists()
