"""A site visit in the real browser: Debian's WebKitGTK under cage (headless), the visit's
policy against two HTTPS sites on loopback — the tile's own, www.ville-test.fr, and one it
must never reach, interdit.example — named by a private /etc/hosts in a mount namespace.

The tile's page carries an iframe, a script, an image and a request to the forbidden
host, a `window.open`, a download link and a file:// link; its script then walks the
visit through them. Only the allowed loads may reach a server; the profile is gone after.
Needs root (the mount namespace, then the browser runs as nobody: cage refuses root).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from site_world import FORBIDDEN, HEADLESS, NOBODY, PORT, SITE, SiteWorld, site_world

from appliance.sites.visit import CAGE, SiteVisit

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


@pytest.fixture
def world():
    with site_world() as world:
        yield world


def start(url: str, world: SiteWorld, allow=()) -> SiteVisit:
    prefix = world.browser_prefix()
    return SiteVisit(url, allow, "Ville test", str(world.ca), world.runtime, prefix, HEADLESS)


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
    site, site_seen = world.serve("127.0.0.1", SITE_PAGES)
    other, other_seen = world.serve("127.0.0.2", {})
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


FORM_PAGE = b"""<!doctype html><meta charset="utf-8"><title>Formulaire</title>
<form action="/sent" method="get"><input name="q" type="text"></form>
<script>document.querySelector("input").focus();</script>"""
PROBE = Path(__file__).resolve().parents[1] / "support" / "site_typing_probe.py"


def test_the_kiosks_keyboard_types_into_the_page(world):
    """A text field takes the focus: the keyboard shows; "Été" typed with shift and two
    accents (long presses), then Enter, sends the form with that text."""
    server, seen = world.serve("127.0.0.1", {"/": ("text/html", FORM_PAGE)})
    plan = [["press", "shift"], ["long", "E"], ["press", "É"], ["press", "t"], ["long", "e"]]
    plan += [["press", "é"], ["press", "enter"]]
    repo = str(Path(__file__).resolve().parents[2])
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": repo, "HOME": str(world.runtime / "home")}
    env |= {
        "XDG_RUNTIME_DIR": str(world.runtime),
        **HEADLESS,
        "DBUS_SESSION_BUS_ADDRESS": "disabled:",
    }
    command = [*world.browser_prefix(), CAGE, "-d", "--", "/usr/bin/python3", str(PROBE)]
    command += [f"https://{SITE}:{PORT}/", str(world.runtime / "probe"), str(world.ca)]
    command.append(json.dumps(plan))
    log = world.runtime.parent / "probe.log"
    try:
        with log.open("w") as stderr:
            # stdin stays open: the browser takes its end for the kiosk gone.
            probe = subprocess.Popen(
                command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr
            )
            try:
                probe.wait(timeout=120)
            finally:
                probe.kill()
            said = probe.stdout.read().decode()
    finally:
        server.shutdown()
    events = [json.loads(line) for line in said.splitlines() if line.startswith("{")]
    assert {"event": "keyboard", "shown": True} in events, log.read_text()[-2000:]
    assert "/sent?q=%C3%89t%C3%A9" in seen, (seen, events)
