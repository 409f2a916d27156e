"""The visit's content-blocker rules, compiled by Debian's WebKitGTK itself (the engine the
image's browser runs): what `SitePolicy.content_rules` writes must be what WebKit accepts.

Debian's python3 runs the compile, as on the totem (python3-gi, gir1.2-webkit-6.0).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from appliance.sites.policy import SitePolicy

REPO = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = "/usr/bin/python3"
COMPILE = """
import json, sys, gi
gi.require_version("WebKit", "6.0")
from gi.repository import GLib, WebKit
store = WebKit.UserContentFilterStore.new(sys.argv[1])
loop, said = GLib.MainLoop(), []
def saved(store, result):
    try:
        said.append("compiled " + store.save_finish(result).get_identifier())
    except GLib.Error as error:
        said.append("refused " + error.message)
    loop.quit()
store.save("visit", GLib.Bytes.new(sys.stdin.buffer.read()), None, saved)
loop.run()
print(said[0])
"""


def webkit_compiles(rules: list[dict], tmp_path: Path) -> str:
    done = subprocess.run(
        [SYSTEM_PYTHON, "-c", COMPILE, str(tmp_path)],
        input=json.dumps(rules).encode(),
        capture_output=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode().strip()


@pytest.fixture(autouse=True)
def _webkit():
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import gi; gi.require_version('WebKit', '6.0')"],
        capture_output=True,
    )
    if probe.returncode != 0:
        pytest.skip("Debian's WebKitGTK 6 (gir1.2-webkit-6.0, python3-gi) is not installed")


def test_webkit_compiles_a_visits_rules(tmp_path):
    policy = SitePolicy.for_tile(
        "https://www.referendum.interieur.gouv.fr/",
        ["*.ville-exemple.fr", "http://vieux.exemple.org", "https://cdn.exemple.net:8443"],
    )
    assert webkit_compiles(policy.content_rules(), tmp_path) == "compiled visit"


def test_webkit_refuses_what_its_expressions_cannot_say(tmp_path):
    # The reason the rules use no alternation (test_site_policy.py holds them to it).
    rules = [{"trigger": {"url-filter": "^https://(a|b)\\.fr/"}, "action": {"type": "block"}}]
    assert webkit_compiles(rules, tmp_path).startswith("refused ")
