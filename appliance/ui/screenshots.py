"""Pictures of every screen, for the README and for people reviewing the UI.

`python -m appliance.ui.screenshots OUTDIR` (what `make screenshots` runs) writes each
screen in French at 1080×1920, the home screen at 1920×1080 and with every accessibility
option on (largest text, high contrast, low reach), and a few screens in the middle of
their flow (keyboard with accents, stars, vote) so reviewers see those too.
`render_screen()` also serves `totem screenshot` and `totem a11y-tree`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from appliance.said import Problem, Said
from appliance.ui.screen_names import DEFAULT_SIZE, SCREEN_NAMES

SAMPLE_PROBLEM = Problem(
    "E-CFG",
    Said(
        "The totem.toml file is invalid: display.size (line 8) must look like "
        "\u201c1080x1920\u201d.",
        "Le fichier totem.toml est invalide : display.size (ligne 8) doit ressembler "
        "à « 1080x1920 ».",
    ),
)


def make_app(size: tuple[int, int] = DEFAULT_SIZE, lang: str = "fr", diagonal: float = 43.0):
    """A KioskApp on the demo content, as the kiosk starts with the default totem.toml."""
    from appliance.config import load_config
    from appliance.content import load_content
    from appliance.ui.app import KioskApp

    languages = ("fr", "en") if lang in ("fr", "en") else (lang, "fr")
    app = KioskApp.from_config(
        load_config(None),
        content=load_content(),
        submit=lambda kind, payload: None,
        size=size,
        languages=languages,
        diagonal_inches=diagonal,
    )
    app.session.lang = lang
    return app


def prepare(app, name: str) -> None:
    """Put `app` on screen `name`, with sample problem for the out-of-service screen and a
    sample technician's visit for the service menu."""
    if name == "out-of-service":
        app.set_out_of_service(SAMPLE_PROBLEM)
    elif name == "service":
        from appliance.service.facts import Facts
        from appliance.service.menu import ServiceMode
        from appliance.service.visit import OPEN, Visit

        visit = Visit("sample", OPEN, "sda1", "Camille Martin", "3f9c0a1b2d4e5f60",
                      "2027-01-05T09:00:00Z")  # fmt: skip
        app.open_service(ServiceMode(visit, Facts(pending=3, oldest_pending="2026-12-06T08:12Z")))
    else:
        app.show_screen(name)


@dataclass(frozen=True)
class Options:
    """The accessibility choices of the toolbar, as a citizen would have set them."""

    text_size: int = 1  # 1, 2 or 3, as the toolbar's "A+" button shows it
    contrast: bool = False
    low_reach: bool = False

    def apply(self, app) -> None:
        app.session.text_size = self.text_size - 1
        app.session.high_contrast = self.contrast
        app.session.low_reach = self.low_reach

    @property
    def suffix(self) -> str:
        """How a picture's file name says which options it shows ("" for none)."""
        parts = [f"text{self.text_size}"] if self.text_size > 1 else []
        parts += ["contrast"] if self.contrast else []
        parts += ["low-reach"] if self.low_reach else []
        return "".join(f"-{part}" for part in parts)


def screen_app(
    name: str,
    lang: str = "fr",
    size: tuple[int, int] = DEFAULT_SIZE,
    options: Options = Options(),
    setup: Callable | None = None,
):
    """A KioskApp showing screen `name` with `options`, `setup` run on it last."""
    app = make_app(size, lang)
    options.apply(app)
    prepare(app, name)
    if setup is not None:
        setup(app)
    return app


def render_screen(
    name: str,
    lang: str = "fr",
    size: tuple[int, int] = DEFAULT_SIZE,
    rotation: int = 0,
    setup: Callable | None = None,
    options: Options = Options(),
):
    """(surface as the panel shows it, accessibility tree) of one screen."""
    import pygame

    from appliance.ui.rotation import present

    app = screen_app(name, lang, size, options, setup)
    frame = pygame.Surface(size)
    app.render(frame)
    return present(frame, rotation), app.a11y_tree()


def _ideas_typing(app) -> None:
    s = app.session
    s.idea_category, s.idea_step = "mobilite", "text"
    s.idea_keyboard.text = "Des arceaux à vélo près de la gare"
    s.idea_keyboard.long_press("e")


def _rating_stars(app) -> None:
    s = app.session
    s.rating_service, s.rating_step, s.rating_stars = "bibliotheque", "stars", 4


def _consultation_choice(app) -> None:
    s = app.session
    s.consultation, s.consultation_step, s.consultation_choice = "place-du-marche", "choose", "oui"


VARIANTS = {
    "ideas-keyboard": ("ideas", _ideas_typing),
    "rating-stars": ("rating", _rating_stars),
    "consultation-vote": ("consultation", _consultation_choice),
}


def write_all(outdir: Path) -> list[Path]:
    import pygame

    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    plain = Options()
    shots = [(name, name, None, DEFAULT_SIZE, plain) for name in SCREEN_NAMES]
    shots += [(file, name, setup, DEFAULT_SIZE, plain) for file, (name, setup) in VARIANTS.items()]
    shots.append(("home-landscape", "home", None, (1920, 1080), plain))
    # Every accessibility option at once: what the fit check (ui/fit.py) keeps readable.
    largest = Options(text_size=3, contrast=True, low_reach=True)
    shots.append((f"home{largest.suffix}", "home", None, DEFAULT_SIZE, largest))
    for file, name, setup, size, options in shots:
        surface, _ = render_screen(name, "fr", size, setup=setup, options=options)
        path = outdir / f"{file}.png"
        pygame.image.save(surface, str(path))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m appliance.ui.screenshots OUTDIR", file=sys.stderr)
        return 2
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    for path in write_all(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
