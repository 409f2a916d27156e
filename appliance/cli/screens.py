"""`totem screenshot` and `totem a11y-tree`: one UI screen as a PNG or as its
accessibility tree, drawn off-screen on the demo content."""

from __future__ import annotations

import argparse
import json
import os

from appliance.cli import CliError
from appliance.touch.transform import ROTATIONS
from appliance.ui.screen_names import DEFAULT_SIZE, SCREEN_NAMES


def register(subparsers: argparse._SubParsersAction) -> None:
    shot = subparsers.add_parser("screenshot", help="draw one UI screen to a PNG file")
    _common(shot)
    shot.add_argument(
        "--rotation",
        type=int,
        default=0,
        choices=tuple(ROTATIONS),
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
        choices=SCREEN_NAMES,
        metavar="NAME",
        help=f"one of: {', '.join(SCREEN_NAMES)}",
    )
    parser.add_argument("--lang", default="fr", help="language code (default fr)")
    parser.add_argument(
        "--size",
        default=DEFAULT_SIZE,
        type=size_argument,
        metavar="WxH",
        help=f"pixels as the citizen sees them (default {DEFAULT_SIZE[0]}x{DEFAULT_SIZE[1]})",
    )
    parser.add_argument(
        "--text-size",
        type=int,
        default=1,
        choices=(1, 2, 3),
        help="text size as the toolbar's A+ button sets it (default 1)",
    )
    parser.add_argument("--contrast", action="store_true", help="high contrast, as the toolbar")
    parser.add_argument(
        "--low-reach", action="store_true", help="content lowered for a seated person"
    )


def size_argument(text: str) -> tuple[int, int]:
    """`--size WxH`: pixels as the citizen sees them (also used by `replay-touch`)."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, e.g. 1080x1920") from None
    if not (64 <= width <= 16384 and 64 <= height <= 16384):
        raise argparse.ArgumentTypeError(f"{text!r}: each side must be 64 to 16384 pixels")
    return width, height


def _render(args: argparse.Namespace, rotation: int = 0):
    from appliance.ui.screenshots import Options, render_screen

    options = Options(args.text_size, args.contrast, args.low_reach)
    return render_screen(args.screen, args.lang, args.size, rotation, options=options)


def _off_screen() -> None:
    """Before pygame loads: no window, and no greeting on stdout (it would spoil the JSON)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


def _screenshot(args: argparse.Namespace) -> int:
    _off_screen()
    import pygame

    surface, _ = _render(args, args.rotation)
    try:
        pygame.image.save(surface, args.out)
    except (OSError, pygame.error) as error:
        raise CliError(f"cannot write {args.out}: {error}") from None
    return 0


def _a11y_tree(args: argparse.Namespace) -> int:
    _off_screen()
    _, tree = _render(args)
    print(json.dumps(tree, ensure_ascii=False))
    return 0
