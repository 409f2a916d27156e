"""A site tile on the very image an installer flashes: the kiosk hands the screen to the
site's browser (WebKitGTK under cage, on the guest's virtio-gpu through DRM, touched
through the USB tablet by libinput), the site's page shows above the browser's bar, a link
to a host the town hall did not list shows the totem's refusal page, and "Accueil" brings
the kiosk back.

The town's site of the demo content, www.saint-exemple.fr, is served by the host: an HTTPS
server on the host's loopback with a certificate of the town hall's CA ([hub] ca_bundle),
reached through the user network's guestfwd at 10.0.2.101:443, a name the guest's resolver
answers itself from `[network] hosts` (the guest has no name server).

The guest's panel is mounted at 90° (`display.rotation`, a 1920x1080 screen for a citizen's
1080x1920), as many totems' are: the site must show the kiosk's way up, and taps land
where the citizen sees them (cage's output turned by wlr-randr, libinput given the
kiosk's touch transform by udev). Screendumps are turned back to the citizen's view and
taps turned to the panel's before anything is measured.
"""

from __future__ import annotations

import ssl
import subprocess
import threading
import time
from http.server import ThreadingHTTPServer

import pytest
import qemu
from guests import BOOT_TIMEOUT, BUILD, SCREEN_TIMEOUT, boot_marks, booted, next_tree
from pictures import colours
from pygame import image, transform
from site_world import Site
from tls_support import town_hall_pki

from appliance.touch.transform import ROTATIONS, apply, invert

pytestmark = boot_marks(screens=7)

SITE = "www.saint-exemple.fr"  # the demo content's "ville" tile
SITE_IN_GUEST = "10.0.2.101:443"
BAR = (0x1D, 0x35, 0x57)  # the browser's bar (appliance/sites/browser.py, STYLE)
BAR_HEIGHT = 80  # at least: a 72 px button and its padding, at the bottom of the screen
PAGE = (0x2A, 0x9D, 0x8F)  # the served page's welcome band
LINK = (0xE7, 0x6F, 0x51)  # its link to a host no entry allows, below the band
BAND, LINK_TOP, LINK_HEIGHT = 400, 400, 400  # CSS pixels (scale 1 on the totem's screen)
SITE_PAGE = f"""<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Saint-Exemple</title></head><body style="margin:0;font:48px sans-serif">
<div style="height:{BAND}px;background:#2a9d8f;color:white">Bienvenue à Saint-Exemple</div>
<a href="https://interdit.example/" style="display:block;height:{LINK_HEIGHT}px;
background:#e76f51;color:white">Un site ailleurs</a></body></html>""".encode()
REFUSAL_TEXT = 100  # sampled pixels of the refusal page's navy text (sites/pages.py)
# WebKit's first start under TCG on two shared cores: its processes, fonts, the page
# (measured: the bar 57-79 s after the tap).
ROTATION = 90
PANEL = (1920, 1080)  # the screen QEMU shows; the citizen's is 1080x1920
VISIT_TIMEOUT = 400
PAGE_TIMEOUT = 150  # from the bar on screen to the page drawn


def dump(guest, path):
    """A screendump as the citizen sees it: the panel's picture turned back (the kiosk
    turns its frame a quarter counter-clockwise for 90, ui/rotation.py)."""
    guest.screendump(path)
    image.save(transform.rotate(image.load(str(path)), -ROTATION), str(path))
    return path


def tap(guest, x: int, y: int) -> None:
    """A tap where the citizen sees (x, y): on the panel, where the kiosk's own touch
    transform for ROTATION (touch/transform.py), undone, puts it."""
    width, height = PANEL[1], PANEL[0]  # the citizen's screen
    u, v = apply(invert(ROTATIONS[ROTATION]), x / (width - 1), y / (height - 1))
    guest.tap(round(u * (PANEL[0] - 1)), round(v * (PANEL[1] - 1)))


def share(path, colour, top: int, bottom: int) -> float:
    """How much of the rows top..bottom of the picture is `colour`."""
    picture = image.load(str(path))
    width, height = picture.get_size()
    hits = total = 0
    for y in range(max(0, top), min(height, bottom), 8):
        for x in range(0, width, 8):
            total += 1
            r, g, b, *_ = picture.get_at((x, y))
            hits += abs(r - colour[0]) + abs(g - colour[1]) + abs(b - colour[2]) < 24
    return hits / max(total, 1)


def bar_share(path) -> float:
    height = image.load(str(path)).get_height()
    return share(path, BAR, height - BAR_HEIGHT + 8, height - 8)


def navy_text(path) -> int:
    """Sampled pixels of the page area (above the bar) in the navy of the totem's own pages'
    text: 0 on a blank page, and on the site's page (which has none)."""
    picture = image.load(str(path))
    width, height = picture.get_size()
    hits = 0
    for y in range(0, height - BAR_HEIGHT - 16, 4):
        for x in range(0, width, 4):
            r, g, b, *_ = picture.get_at((x, y))
            hits += abs(r - BAR[0]) + abs(g - BAR[1]) + abs(b - BAR[2]) < 60
    return hits


def site_shown(path) -> bool:
    return (
        bar_share(path) > 0.5
        and share(path, PAGE, 8, BAND - 60) > 0.5
        and share(path, LINK, LINK_TOP + 60, LINK_TOP + LINK_HEIGHT - 8) > 0.5
    )


def refusal_shown(path) -> bool:
    return bar_share(path) > 0.5 and navy_text(path) >= REFUSAL_TEXT


def wait_for(guest, path, shown, timeout: float) -> float:
    """Screendumps into `path` until `shown(path)`; the seconds it took (or the timeout)."""
    start = time.monotonic()
    while not shown(dump(guest, path)) and time.monotonic() - start < timeout:
        time.sleep(2)
    return time.monotonic() - start


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The town's site on the host's loopback, as the town hall's own server would serve it."""
    work = tmp_path_factory.mktemp("qemu-sites")
    ca, cert, key = town_hall_pki(work, (SITE,))
    seen: list[str] = []
    handler = type("Handler", (Site,), {"pages": {"/": ("text/html", SITE_PAGE)}, "seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"ca": ca, "port": server.server_address[1], "seen": seen}
    server.shutdown()


@pytest.fixture(scope="module")
def guest(built_image, site):
    def prepare(disk):
        # A citizen who waits for the page: under TCG WebKit takes longer to start than the
        # kiosk's default idle time (60 s and 20 of countdown) would allow.
        qemu.write_config(
            disk,
            f"[display]\nrotation = {ROTATION}\n"
            "[session]\nidle_seconds = 900\n"
            '[hub]\nca_bundle = "/run/totem/cfg/mairie-ca.pem"\n'
            f'[network]\nhosts = ["{SITE_IN_GUEST.partition(":")[0]} {SITE}"]\n',
        )
        subprocess.run(
            ["mcopy", "-o", "-i", qemu.fat(disk, "TOTEMCFG"), str(site["ca"]), "::mairie-ca.pem"],
            check=True,
        )

    guestfwd = {SITE_IN_GUEST: site["port"]}
    with booted(
        built_image, "qemu-sites", prepare=prepare, guestfwd=guestfwd, size=PANEL
    ) as machine:
        yield machine


@pytest.fixture(scope="module")
def visit(guest) -> dict:
    guest.wait_report(lambda r: r.get("event") == "ui-ready", BOOT_TIMEOUT, "UI ready")
    guest.wait_report(lambda r: r.get("event") == "a11y", SCREEN_TIMEOUT, "a11y tree")
    tree = guest.latest_tree()
    if tree["screen"] == "attract":
        tap(guest, 540, 960)
        tree = guest.wait_screen("home", SCREEN_TIMEOUT)
    tap(guest, *qemu.centre(qemu.widget(tree, "tile-sites")))
    tree = guest.wait_screen("sites", SCREEN_TIMEOUT)
    tiles = dump(guest, BUILD / "qemu-sites-tiles.png")
    tapped = time.monotonic()
    tap(guest, *qemu.centre(qemu.widget(tree, "site-ville")))
    visiting = guest.wait_screen("visit", SCREEN_TIMEOUT)
    # The browser's bar shows once cage has the screen and GTK drew the window, then the
    # site's page above it.
    browser = BUILD / "qemu-sites-browser.png"
    wait_for(guest, browser, lambda p: bar_share(p) > 0.5, VISIT_TIMEOUT)
    shown = time.monotonic() - tapped
    page = BUILD / "qemu-sites-page.png"
    wait_for(guest, page, site_shown, PAGE_TIMEOUT)
    drawn = time.monotonic() - tapped
    print(f"\ntap → browser bar on screen: {shown:.0f} s, → site's page drawn: {drawn:.0f} s")
    return {"tiles": tiles, "visiting": visiting, "browser": browser, "page": page}


def test_a_tap_on_a_site_tile_hands_the_screen_to_the_browser(visit):
    assert visit["visiting"]["screen"] == "visit"
    assert bar_share(visit["tiles"]) < 0.1, "the kiosk's own screen looks like the bar"
    assert bar_share(visit["browser"]) > 0.5, f"no browser bar in {visit['browser']}"


def test_the_sites_page_shows_above_the_home_control(visit, site):
    assert site["seen"] == ["/"], "the host's site was not asked for its page (once)"
    assert site_shown(visit["page"]), f"{visit['page']} does not show the site above the bar"
    assert navy_text(visit["page"]) < REFUSAL_TEXT


def test_a_link_to_an_unlisted_host_shows_the_refusal_page(visit, guest, site):
    tap(guest, PANEL[1] // 2, LINK_TOP + LINK_HEIGHT // 2)
    refused = BUILD / "qemu-sites-refused.png"
    took = wait_for(guest, refused, refusal_shown, SCREEN_TIMEOUT)
    print(f"\nlink to interdit.example → refusal page drawn: {took:.0f} s")
    assert refusal_shown(refused), f"{refused} does not show the refusal page above the bar"
    assert share(refused, PAGE, 8, BAND - 60) < 0.1, "the site's page is still shown"
    assert site["seen"] == ["/"]


def test_home_brings_the_kiosk_back(visit, guest):
    tap(guest, 130, PANEL[0] - BAR_HEIGHT // 2)  # "⌂ Accueil", the bar's first control
    tree = next_tree(guest, lambda t: t["screen"] == "home", "the home screen", SCREEN_TIMEOUT)
    assert tree["screen"] == "home"
    back = BUILD / "qemu-sites-home.png"
    wait_for(guest, back, lambda p: bar_share(p) < 0.1, SCREEN_TIMEOUT)
    assert bar_share(back) < 0.1, f"{back} still shows the browser"
    assert len(colours(back)) >= 16, f"{back} is blank: the kiosk did not draw again"
