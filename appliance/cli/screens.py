"""`totem screenshot` and `totem a11y-tree`: one UI screen as a PNG or as its
accessibility tree, drawn off-screen on the demo content."""

from __future__ import annotations

import argparse
import json
import os

from appliance.cli import CliError

SCREENS = (
    "attract",
    "home",
    "ideas",
    "rating",
    "consultation",
    "sites",
    "thanks",
    "privacy",
    "out-of-service",
    "sorry",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    shot = subparsers.add_parser("screenshot", help="draw one UI screen to a PNG file")
    _common(shot)
    shot.add_argument(
        "--rotation",
        type=int,
        default=0,
        choices=(0, 90, 180, 270),
        help="panel rotation: the PNG is the framebuffer as the panel receives it",
    )
    shot.add_argument("--out", required=True, metavar="F.png", help="PNG file to write")
    shot.set_defaults(func=_screenshot)
    tree = subparsers.add_parser("a11y-tree", help="print one UI screen's accessibility tree")
    _common(tree)
    tree.set_defaults(func=_a11y_tree)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--screen",
        required=True,
        choices=SCREENS,
        metavar="NAME",
        help=f"one of: {', '.join(SCREENS)}",
    )
    parser.add_argument("--lang", default="fr", help="language code (default fr)")
    parser.add_argument(
        "--size",
        default="1080x1920",
        type=_size,
        metavar="WxH",
        help="pixels as the citizen sees them (default 1080x1920)",
    )


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, e.g. 1080x1920") from None
    if not (64 <= width <= 16384 and 64 <= height <= 16384):
        raise argparse.ArgumentTypeError(f"{text!r}: each side must be 64 to 16384 pixels")
    return width, height


def _render(args: argparse.Namespace, rotation: int = 0):
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from appliance.ui.screenshots import render_screen

    return render_screen(args.screen, args.lang, args.size, rotation)


def _screenshot(args: argparse.Namespace) -> int:
    import pygame

    surface, _ = _render(args, args.rotation)
    try:
        pygame.image.save(surface, args.out)
    except (OSError, pygame.error) as error:
        raise CliError(f"cannot write {args.out}: {error}") from None
    return 0


def _a11y_tree(args: argparse.Namespace) -> int:
    _, tree = _render(args)
    print(json.dumps(tree, ensure_ascii=False))
    return 0
