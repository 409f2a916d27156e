"""Every screen draws at the default portrait and landscape sizes, rotated or not, with
large targets, nothing overlapping and no text cut."""

from __future__ import annotations

import json
import subprocess
import sys

import pygame
import pytest

from appliance.said import Said
from appliance.ui import fonts
from appliance.ui.screen_names import SCREEN_NAMES
from appliance.ui.screens import BUILDERS
from appliance.ui.screenshots import VARIANTS, make_app, prepare, render_screen
from appliance.ui.widgets import ROLES

SIZES = [(1080, 1920), (1920, 1080)]
INTERACTIVE = ("button", "key", "option", "star", "textbox")


def test_every_screen_name_has_its_builder():
    assert tuple(BUILDERS) == SCREEN_NAMES


def layouts():
    """(screen, size, setup) for every screen and mid-flow variant."""
    for size in SIZES:
        for name in SCREEN_NAMES:
            yield name, size, None
        for name, setup in VARIANTS.values():
            yield name, size, setup


def built(name, size, setup=None, text_size=0, low_reach=False, lang="fr"):
    app = make_app(size, lang)
    prepare(app, name)
    if setup:
        setup(app)
    app.session.text_size, app.session.low_reach = text_size, low_reach
    app.changed()
    return app


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("rotation", [0, 90])
@pytest.mark.parametrize("name", SCREEN_NAMES)
def test_every_screen_renders(name, size, rotation):
    surface, tree = render_screen(name, "fr", size, rotation)
    expected = size if rotation == 0 else (size[1], size[0])
    assert surface.get_size() == expected
    assert tree["screen"] == name and tree["widgets"]
    # Drawn, not blank: more than a handful of colours.
    assert (
        len(
            {
                surface.get_at((x, y))[:3]
                for x in range(0, surface.get_width(), 37)
                for y in range(0, surface.get_height(), 41)
            }
        )
        > 3
    )


@pytest.mark.parametrize(
    "text_size,low_reach,lang", [(0, False, "fr"), (2, True, "fr"), (2, False, "en")]
)
def test_targets_are_large_and_apart_and_text_fits(text_size, low_reach, lang):
    problems = []
    for name, size, setup in layouts():
        app = built(name, size, setup, text_size, low_reach, lang)
        m = app.metrics
        widgets = app.widgets()
        touchable = [w for w in widgets if w.role in INTERACTIVE and w.interactive]
        bar_top = min(w.rect.y for w in widgets if w.style == "bar")
        for w in widgets:
            if w.style != "bar" and w.role and not w.extra.get("popup") and w.rect.bottom > bar_top:
                problems.append(f"{name} {size} {w.id}: runs under the toolbar")
            where = f"{name} {size} {w.id}"
            r = w.rect
            if w.role and w.role not in ROLES:
                problems.append(f"{where}: role {w.role}")
            if r.x < 0 or r.y < 0 or r.right > size[0] or r.bottom > size[1]:
                problems.append(f"{where}: off screen {r}")
            if w in touchable and min(r.w, r.h) < m.target:
                problems.append(f"{where}: target {r.w}x{r.h} < {m.target}")
            bold = w.role in ("heading", "button")
            for line in w.lines:
                if w.style != "key" and fonts.text_width(line, w.font_size, bold) > r.w:
                    problems.append(f"{where}: text wider than its box: {line!r}")
        for i, a in enumerate(touchable):
            for b in touchable[i + 1 :]:
                if a.extra.get("popup") or b.extra.get("popup"):
                    continue  # the accent popup lies over the keys on purpose
                if (
                    a.rect.x < b.rect.right
                    and b.rect.x < a.rect.right
                    and a.rect.y < b.rect.bottom
                    and b.rect.y < a.rect.bottom
                ):
                    problems.append(f"{name} {size}: {a.id} overlaps {b.id}")
    assert problems == []


def test_targets_grow_to_15_mm_on_a_small_dense_panel():
    app = make_app((1280, 800), "fr", diagonal=10.1)
    app.show_screen("home")
    px_per_mm = (1280**2 + 800**2) ** 0.5 / (10.1 * 25.4)
    assert app.metrics.target >= 15 * px_per_mm
    for widget in app.widgets():
        if widget.role == "button":
            assert min(widget.rect.w, widget.rect.h) >= 15 * px_per_mm


def test_tree_entries_have_the_contract_fields():
    app = built("rating", (1080, 1920), VARIANTS["rating-stars"][1])
    for entry in app.a11y_tree()["widgets"]:
        assert {"id", "role", "label", "rect", "enabled"} <= set(entry)
        assert entry["role"] in ROLES and len(entry["rect"]) == 4
    assert len({e["id"] for e in app.a11y_tree()["widgets"]}) == len(app.a11y_tree()["widgets"])


def test_a_frame_is_drawn_only_when_something_changed():
    app = make_app()
    surface = pygame.Surface(app.size)
    app.render(surface)
    assert app.dirty is False
    app.tick(app._clock())
    assert app.dirty is False
    app.set_warning([Said(fr="Capteur tactile : réponse lente", en="Touch sensor slow")])
    assert app.dirty is True
    app.render(surface)
    assert app.a11y_tree()["widgets"][0]["label"].startswith("Capteur tactile")


def test_new_content_shows_without_restart():
    app = make_app()
    app.show_screen("rating")
    content = dict(app.content)
    content["services"] = [{"id": "piscine", "label": {"fr": "Piscine", "en": "Pool"}}]
    app.set_content(content)
    labels = [w["label"] for w in app.a11y_tree()["widgets"] if w["role"] == "option"]
    assert labels == ["Piscine"]


def totem(*args):
    return subprocess.run(
        [sys.executable, "-m", "appliance", *args], capture_output=True, text=True, timeout=120
    )


def test_screenshot_command_writes_the_rotated_framebuffer(tmp_path):
    out = tmp_path / "home.png"
    done = totem(
        "screenshot",
        "--screen",
        "home",
        "--size",
        "1920x1080",
        "--rotation",
        "90",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert pygame.image.load(str(out)).get_size() == (1080, 1920)


def test_a11y_tree_command_prints_one_json_object():
    done = totem("a11y-tree", "--screen", "home", "--lang", "en")
    assert done.returncode == 0, done.stderr
    tree = json.loads(done.stdout)
    assert tree["screen"] == "home"
    assert any(w["label"].startswith("Idea box") for w in tree["widgets"])
    bad = totem("a11y-tree", "--screen", "home", "--size", "big")
    assert bad.returncode == 2 and "WIDTHxHEIGHT" in bad.stderr


def test_repainting_only_what_changed_gives_the_same_picture_as_a_full_redraw():
    from ui_citizen import Citizen

    citizen = Citizen()
    frame = pygame.Surface(citizen.app.size)
    citizen.app.render(frame)
    steps = [
        lambda: citizen.start(),
        lambda: citizen.tap("button", "Boîte à idées"),
        lambda: citizen.tap("option", "Mobilité"),
        lambda: citizen.tap("button", "Suivant"),
        lambda: citizen.type("Ma"),
        lambda: citizen.long_press("key", "e"),
        lambda: citizen.tap("key", "é", exact=True),
    ]
    for step in steps:
        step()
        citizen.app.render(frame)
        full = pygame.Surface(citizen.app.size)
        citizen.app.forget_frame()
        citizen.app.render(full)
        assert pygame.image.tobytes(frame, "RGB") == pygame.image.tobytes(full, "RGB")
        citizen.app.render(frame)
    x, y, w, h = citizen.find("key", "z", exact=True)["rect"]
    from appliance.touch.gestures import Gesture

    citizen.app.handle(Gesture("down", x + 5, y + 5, 0.0))
    citizen.app.render(frame)
    assert citizen.app.damage == [pygame.Rect(x, y, w, h)]  # only the key under the finger


def test_the_warning_banner_shows_whole_warnings_and_counts_the_rest():
    from appliance.ui.chrome import WARNING_SEPARATOR, banner_line

    pygame.font.init()
    warnings = [
        "L'horloge n'est pas synchronisée (NTP). (W-CLOCK)",
        "Hub injoignable. (W-HUB)",
        "Pas de chien de garde matériel. (W-WATCHDOG)",
    ]
    label = WARNING_SEPARATOR.join(warnings)
    size = 24
    assert banner_line(label, size, 10_000) == label
    width = fonts.text_width(WARNING_SEPARATOR.join(warnings[:2]) + " (+1)", size, True)
    assert banner_line(label, size, width) == WARNING_SEPARATOR.join(warnings[:2]) + " (+1)"
    narrow = banner_line(label, size, fonts.text_width(warnings[0], size, True) // 2)
    assert narrow.endswith("… (+2)") and warnings[0].startswith(narrow[: -len("… (+2)")])
    assert fonts.text_width(narrow, size, True) <= fonts.text_width(warnings[0], size, True) // 2


def test_the_privacy_notice_says_how_long_the_wipe_really_takes():
    from ui_citizen import Citizen

    citizen = Citizen()
    citizen.app.show_screen("privacy")
    texts = " ".join(w["label"] for w in citizen.widgets("text"))
    assert "après 80 secondes sans activité" in texts  # 60 s idle + 20 s countdown
    citizen.app.idle_seconds, citizen.app.countdown_seconds = 100, 20
    citizen.app.changed()
    texts = " ".join(w["label"] for w in citizen.widgets("text"))
    assert "après 2 minutes sans activité" in texts


def test_each_star_says_its_meaning_to_a_screen_reader():
    from ui_citizen import Citizen

    citizen = Citizen()
    citizen.start()
    citizen.tap("button", "Noter")
    citizen.tap("option", citizen.widgets("option")[0]["label"], exact=True)
    citizen.tap("button", "Suivant")
    assert [w["label"] for w in citizen.widgets("star")] == [
        "1 étoile – Très insatisfait",
        "2 étoiles – Insatisfait",
        "3 étoiles – Correct",
        "4 étoiles – Satisfait",
        "5 étoiles – Très satisfait",
    ]
