"""The kiosk hands the screen to a site's browser and takes it back (issue 16).

The real kiosk process (SDL's dummy driver, touched through a real panel's event stream)
with a site tile on www.ville-test.fr (tests/support/site_world.py: HTTPS on loopback, the
browser in its own mount namespace as nobody, cage headless). A tap on the tile starts the
browser; the kiosk's idle rule, its countdown and a crash all bring the citizen back to
the kiosk, and no visit's profile is left. Needs root.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from kiosk_driver import KioskProcess, kiosks
from site_world import HEADLESS, NOBODY, PORT, SITE, site_world

from appliance.content import CACHE_FILENAME, load_content
from appliance.sites.visit import CAGE

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root (mount namespace, user switch)"),
    pytest.mark.skipif(
        not (Path(CAGE).exists() and shutil.which("Xwayland")),
        reason="cage and Xwayland are not installed",
    ),
]

DESC = "EP0430M09.desc"  # a real MT protocol B panel (fixtures)
IDLE, COUNTDOWN = 4, 3  # seconds: short, so that the idle rule is seen to end a visit
PAGE = b"<!doctype html><title>Mairie de Ville-Test</title><h1>Bienvenue</h1>"
# The browser's start under cage, in a loaded CI runner: WebKit's processes and the page.
VISIT_START_SECONDS = 90


@pytest.fixture
def world():
    with site_world() as world:
        server, seen = world.serve("127.0.0.1", {"/": ("text/html", PAGE)})
        yield world, seen
        server.shutdown()


@pytest.fixture
def kiosk(tmp_path, touch_fixtures, world):
    site_world, _ = world
    config = tmp_path / "totem.toml"
    config.write_text(
        f'[hub]\nca_bundle = "{site_world.ca}"\n'
        f"[session]\nidle_seconds = {IDLE}\ncountdown_seconds = {COUNTDOWN}\n",
        encoding="utf-8",
    )
    content = load_content(None)
    content["sites"] = [
        {"id": "ville", "label": {"fr": "Ville test"}, "url": f"https://{SITE}:{PORT}/"}
    ]
    data = tmp_path / "data"
    data.mkdir()
    (data / CACHE_FILENAME).write_text(json.dumps({"content": content}), encoding="utf-8")
    with kiosks(tmp_path, touch_fixtures / DESC) as start:
        kiosk = start(
            config=config,
            env={**HEADLESS, "XDG_RUNTIME_DIR": str(site_world.runtime)},
            browser_prefix=shlex.join(site_world.browser_prefix()),
        )
        yield kiosk
        # Stopped as systemd stops it, so that it ends a visit still running (a killed
        # kiosk's browser is left to the unit's cgroup, which a test does not have).
        assert kiosk.terminate() == 0
        assert site_world.visits_left() == []


def open_the_tile(k: KioskProcess) -> None:
    k.wait_for("a first frame", lambda tree: tree)
    k.tap(k.widget("button", "commencer"))
    k.tap(k.widget("button", "Sites utiles"))
    k.tap(k.widget("button", "Ville test", exact=True))
    k.screen("visit")
    k.log_line("site visit: ville shown", timeout=VISIT_START_SECONDS)


def countdown_shown(tree: dict):
    return tree["screen"] == "visit" and any(w["id"] == "idle-countdown" for w in tree["widgets"])


def test_the_idle_rule_ends_a_visit_unless_someone_touches(kiosk, world):
    site_world, seen = world
    open_the_tile(kiosk)
    assert "/" in seen
    assert len(site_world.visits_left()) == 1  # the visit's own profile, while it lasts
    # Nobody touches: the kiosk's countdown starts (the browser's bar is told the seconds);
    # a touch, on the browser's page, is still someone there: the visit goes on.
    countdown = kiosk.wait_for("the idle countdown", countdown_shown, timeout=IDLE + 10)
    kiosk.citizen.tap(540, 900)
    kiosk.wait_for("the countdown gone", lambda t: t if not countdown_shown(t) else None)
    assert kiosk.tree()["screen"] == "visit", countdown
    # Then nobody again: the countdown runs out, the browser is closed, the kiosk is back
    # on its attract screen, and nothing of the visit is left for the next person.
    kiosk.screen("attract", timeout=IDLE + COUNTDOWN + 15)
    kiosk.log_line("site visit: ville ended (closed)")
    assert site_world.visits_left() == []


def test_a_crashed_browser_brings_the_citizen_back_to_the_tiles(kiosk, world):
    site_world, _ = world
    open_the_tile(kiosk)
    subprocess.run(["pkill", "-KILL", "-u", str(NOBODY), "-f", "WebKitWebProcess"], check=True)
    kiosk.screen("sites", timeout=30)
    kiosk.widget("text", "Le site s'est fermé")
    kiosk.log_line("site visit: ville ended (crashed)")
    assert site_world.visits_left() == []
    # The tile opens it again.
    kiosk.tap(kiosk.widget("button", "Ville test", exact=True))
    kiosk.screen("visit")
    kiosk.log_line(f"site visit: ville (https://{SITE}:{PORT}/) started")
