"""A site tile on the very image an installer flashes: the kiosk hands the screen to the
site's browser (WebKitGTK under cage, on the guest's virtio-gpu through DRM, touched
through the USB tablet by libinput) and takes it back when the citizen taps "Accueil".

The guest's user network reaches nothing (restrict=on, no name server): the demo content's
town site does not answer, so the browser shows the totem's own "Le site ne répond pas"
page above its bar. A site served by the host through guestfwd needs a name the lockdown
resolves (issue 16's note says what is missing for it).
"""

from __future__ import annotations

import time

import pytest
import qemu
from guests import BOOT_TIMEOUT, BUILD, SCREEN_TIMEOUT, boot_marks, booted, next_tree
from pictures import colours
from pygame import image

pytestmark = boot_marks(screens=6)

BAR = (0x1D, 0x35, 0x57)  # the browser's bar (appliance/sites/browser.py, STYLE)
BAR_HEIGHT = 80  # at least: a 72 px button and its padding, at the bottom of the screen
PAGE_TEXT = 100  # sampled text pixels: a heading and two lines of the totem's page
# WebKit's first start under TCG on two shared cores: its processes, fonts, the page
# (measured: the bar 72 s after the tap, the browser's page 70 s in the guest's journal).
VISIT_TIMEOUT = 400
PAGE_TIMEOUT = 150  # from the bar on screen to the page (the browser says it in 10 s)


def page_text(path) -> int:
    """Sampled pixels of the page area (above the bar) in the colour of the totem's own
    pages' text (sites/pages.py uses the bar's navy): 0 on a blank page."""
    picture = image.load(str(path))
    width, height = picture.get_size()
    hits = 0
    for y in range(0, height - BAR_HEIGHT - 16, 4):
        for x in range(0, width, 4):
            r, g, b, *_ = picture.get_at((x, y))
            hits += abs(r - BAR[0]) + abs(g - BAR[1]) + abs(b - BAR[2]) < 60
    return hits


def browser_page(path) -> bool:
    return bar_share(path) > 0.5 and page_text(path) >= PAGE_TEXT


def bar_share(path) -> float:
    """How much of the bottom band of the picture is the browser's bar colour."""
    picture = image.load(str(path))
    width, height = picture.get_size()
    hits = total = 0
    for y in range(height - BAR_HEIGHT + 8, height - 8, 8):
        for x in range(0, width, 8):
            total += 1
            r, g, b, *_ = picture.get_at((x, y))
            hits += abs(r - BAR[0]) + abs(g - BAR[1]) + abs(b - BAR[2]) < 24
    return hits / total


@pytest.fixture(scope="module")
def guest(built_image):
    def prepare(disk):
        # A citizen who waits for the page: under TCG WebKit takes longer to start than the
        # kiosk's default idle time (60 s and 20 of countdown) would allow.
        qemu.write_config(disk, "[session]\nidle_seconds = 900\n")

    with booted(built_image, "qemu-sites", prepare=prepare) as machine:
        yield machine


@pytest.fixture(scope="module")
def visit(guest) -> dict:
    guest.wait_report(lambda r: r.get("event") == "ui-ready", BOOT_TIMEOUT, "UI ready")
    guest.wait_report(lambda r: r.get("event") == "a11y", SCREEN_TIMEOUT, "a11y tree")
    tree = guest.latest_tree()
    if tree["screen"] == "attract":
        guest.tap(*qemu.centre({"rect": [0, 0, *guest.size]}))
        tree = guest.wait_screen("home", SCREEN_TIMEOUT)
    guest.tap(*qemu.centre(qemu.widget(tree, "tile-sites")))
    tree = guest.wait_screen("sites", SCREEN_TIMEOUT)
    kiosk_sites = guest.screendump(BUILD / "qemu-sites-tiles.png")
    tapped = time.monotonic()
    guest.tap(*qemu.centre(qemu.widget(tree, "site-ville")))
    visiting = guest.wait_screen("visit", SCREEN_TIMEOUT)
    # The browser's bar shows once cage has the screen and GTK drew the window.
    path = BUILD / "qemu-sites-browser.png"
    deadline = time.monotonic() + VISIT_TIMEOUT
    while bar_share(guest.screendump(path)) < 0.5 and time.monotonic() < deadline:
        time.sleep(2)
    shown = time.monotonic() - tapped
    # Then the page itself: the totem's "Le site ne répond pas" page, once WebKit gave up
    # on the name (the guest has no name server).
    page = BUILD / "qemu-sites-page.png"
    deadline = time.monotonic() + PAGE_TIMEOUT
    while not browser_page(guest.screendump(page)) and time.monotonic() < deadline:
        time.sleep(3)
    drawn = time.monotonic() - tapped
    print(f"\ntap → browser bar on screen: {shown:.0f} s, → page drawn: {drawn:.0f} s (TCG)")
    return {
        "tiles": kiosk_sites,
        "visiting": visiting,
        "browser": path,
        "page": page,
        "shown": shown,
    }


def test_a_tap_on_a_site_tile_hands_the_screen_to_the_browser(visit):
    assert visit["visiting"]["screen"] == "visit"
    assert bar_share(visit["tiles"]) < 0.1, "the kiosk's own screen looks like the bar"
    assert bar_share(visit["browser"]) > 0.5, f"no browser bar in {visit['browser']}"


@pytest.mark.xfail(
    strict=True,
    reason="issue 16: under QEMU's virtio-gpu (mesa's kms_swrast) the browser says its page "
    "is shown but the screen keeps the web view blank; its bar is drawn",
)
def test_the_browser_shows_a_page_above_its_home_control(visit):
    assert page_text(visit["page"]) >= PAGE_TEXT, f"{visit['page']} shows no page"
    assert bar_share(visit["page"]) > 0.5, f"{visit['page']} lost the bar"


def test_home_brings_the_kiosk_back(visit, guest):
    width, height = guest.size
    guest.tap(130, height - BAR_HEIGHT // 2)  # "⌂ Accueil", the bar's first control
    tree = next_tree(guest, lambda t: t["screen"] == "home", "the home screen", SCREEN_TIMEOUT)
    assert tree["screen"] == "home"
    back = BUILD / "qemu-sites-home.png"
    deadline = time.monotonic() + SCREEN_TIMEOUT
    while bar_share(guest.screendump(back)) > 0.1 and time.monotonic() < deadline:
        time.sleep(2)
    assert bar_share(back) < 0.1, f"{back} still shows the browser"
    assert len(colours(back)) >= 16, f"{back} is blank: the kiosk did not draw again"
