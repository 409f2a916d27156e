"""Every screen is readable at every text size, with and without high contrast and low
reach, in portrait and landscape: all text inside its widget and the screen, no two
widgets over one another, no word cut, no text the colour of what is behind it. And the
checks themselves catch each of those faults when a layout has them."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import pygame
import pytest

from appliance.ui import fonts
from appliance.ui.fit import contrast, drawn_faults, layout_faults
from appliance.ui.screen_names import SCREEN_NAMES
from appliance.ui.screenshots import VARIANTS, Options, screen_app
from appliance.ui.widgets import Rect, Widget

SIZES = [(1080, 1920), (1920, 1080)]
SHOTS = [(name, name, None) for name in SCREEN_NAMES] + [
    (file, name, setup) for file, (name, setup) in VARIANTS.items()
]


def _idle(app) -> None:
    app.tick(app._last_activity + app.idle_seconds)  # the countdown overlay is up


SHOTS.append(("idle-countdown", "ideas", _idle))
OPTIONS = [Options(*o) for o in itertools.product((1, 2, 3), (False, True), (False, True))]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: o.suffix or "plain")
def test_every_screen_is_readable_with_every_option(size, options):
    faults = []
    for file, name, setup in SHOTS:
        app = screen_app(name, "fr", size, options, setup)
        widgets = app.widgets()
        found = layout_faults(widgets, size)
        found += drawn_faults(widgets, size, high_contrast=options.contrast)
        faults += [f"{file}: {fault}" for fault in found]
    assert faults == []


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_english_at_the_largest_text_is_readable_too(size):
    faults = []
    for file, name, setup in SHOTS:
        app = screen_app(name, "en", size, Options(3, True, True), setup)
        faults += [f"{file}: {f}" for f in layout_faults(app.widgets(), size)]
    assert faults == []


def test_the_largest_text_keeps_the_home_tiles_large():
    """Fitting must not mean shrinking the tiles' titles below the screen's headings."""
    plain = screen_app("home", "fr", SIZES[0], Options(1))
    largest = screen_app("home", "fr", SIZES[0], Options(3, True, True))
    for before, after in zip(plain.widgets(), largest.widgets(), strict=False):
        if before.style == "tile":
            assert after.style == "tile" and after.id == before.id
            assert after.font_size >= before.font_size
            assert after.extra["hint_size"] >= plain.metrics.small


def test_wrapping_breaks_at_spaces_and_never_inside_a_word():
    pygame.font.init()
    text = "Vos données et la confidentialité"
    width = fonts.text_width("confidentialit", 40, True)  # narrower than the long word
    lines = fonts.wrap(text, 40, width, True)
    assert "confidentialité" in lines and " ".join(lines).split() == text.split()
    # What a citizen typed has no words to respect: it is cut to its box.
    typed = fonts.wrap("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 40, 200, cut=True)
    assert len(typed) > 1 and all(fonts.text_width(line, 40) <= 200 for line in typed)


def test_fitting_size_shrinks_until_the_longest_word_fits():
    pygame.font.init()
    width = fonts.text_width("confidentialité", 30, True)
    size = fonts.fitting_size("Vos données et la confidentialité", 60, width, True)
    assert size <= 30 and fonts.text_width("confidentialité", size, True) <= width
    assert fonts.fitting_size("oui", 60, 1000) == 60
    assert fonts.fitting_size("anticonstitutionnellement", 60, 10) == fonts.SMALLEST


def test_contrast_ratio_is_the_wcag_one():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((80, 80, 80), (80, 80, 80)) == pytest.approx(1.0)
    assert contrast((255, 255, 0), (0, 0, 0)) > 19


def _text(wid, text, rect, size=30, style="text", layer=0):
    pygame.font.init()
    return Widget(
        wid, "text", text, rect, style=style, font_size=size,
        lines=fonts.wrap(text, size, rect.w), layer=layer,
    )  # fmt: skip


def test_the_layout_check_finds_each_kind_of_fault():
    screen = (1080, 1920)
    assert layout_faults([_text("ok", "Bonjour", Rect(10, 10, 400, 60))], screen) == []
    off = _text("off", "Bonjour", Rect(900, 10, 400, 60))
    spill = _text("spill", "Bonjour à tous", Rect(10, 100, 400, 20))
    a = _text("a", "Un", Rect(10, 300, 400, 60))
    b = _text("b", "Deux", Rect(200, 320, 400, 60))
    cut = _text("cut", "confidentialité", Rect(10, 500, 800, 60))
    cut.lines = ("confidentia", "lité")
    faults = {str(f) for f in layout_faults([off, spill, a, b, cut], screen)}
    assert any(f.startswith("off: lies outside the screen") for f in faults)
    assert any(f.startswith("spill: text") and "goes out of its widget" in f for f in faults)
    assert "a: overlaps b" in faults
    assert any(f.startswith("cut: word cut") for f in faults)


def test_the_drawn_check_finds_text_the_colour_of_what_is_behind_it():
    size = (1080, 1920)
    tile = Widget("tile", "button", "", Rect(0, 0, 1080, 400), style="primary", lines=())
    dark = _text("dark", "Texte sombre", Rect(40, 40, 600, 60), layer=1)
    assert [f.widget for f in drawn_faults([tile, dark], size, high_contrast=False)] == ["dark"]
    moved = _text("dark", "Texte sombre", Rect(40, 600, 600, 60))
    assert drawn_faults([tile, moved], size, high_contrast=False) == []


def totem(*args):
    return subprocess.run(
        [sys.executable, "-m", "appliance", *args], capture_output=True, text=True, timeout=120
    )


def test_the_screen_commands_take_the_citizen_s_options(tmp_path):
    def tree(*options):
        done = totem("a11y-tree", "--screen", "home", *options)
        assert done.returncode == 0, done.stderr
        return {w["id"]: w for w in json.loads(done.stdout)["widgets"]}

    plain, larger, lowered = tree(), tree("--text-size", "3"), tree("--low-reach")
    assert larger["title"]["rect"][3] > plain["title"]["rect"][3]  # more lines of larger text
    assert lowered["title"]["rect"][1] > plain["title"]["rect"][1]  # content moved down
    assert tree("--contrast")["bar-contrast"]["state"]["checked"] is True
    out = tmp_path / "home.png"
    done = totem("screenshot", "--screen", "home", "--contrast", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert pygame.image.load(str(out)).get_at((5, 5))[:3] == (0, 0, 0)  # the black theme
    bad = totem("screenshot", "--screen", "home", "--text-size", "4", "--out", str(out))
    assert bad.returncode == 2 and "--text-size" in bad.stderr
