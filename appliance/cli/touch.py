"""`totem replay-touch`: an evemu recording through the touch pipeline, as JSON lines.

What a technician runs to see what the kiosk would make of a panel: the same decoder,
transform and gesture rules as the running UI, without a screen.

`totem touch-rule`: the kiosk's touch transform as a udev rule for libinput (cage reads
the panel while a site is shown), run as root by the kiosk's unit before it starts.
"""

from __future__ import annotations

import argparse
import json
import subprocess

from appliance.cli import CliError
from appliance.cli.screens import size_argument
from appliance.touch.transform import MATRIX_FAULTS, ROTATIONS, matrix_fault
from appliance.ui.screen_names import DEFAULT_SIZE


def _matrix(text: str) -> tuple[float, ...]:
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected six numbers a,b,c,d,e,f, not {text[:80]!r}"
        ) from None
    fault = matrix_fault(values)
    if fault is not None:
        raise argparse.ArgumentTypeError(f"{MATRIX_FAULTS[fault]}, not {text[:80]!r}")
    return values


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "replay-touch",
        help="replay an evemu touch recording and print the gestures",
        description="Replay an evemu recording through the touch pipeline; print one JSON "
        'object per gesture: {"gesture", "x", "y", "t"} (t: the recording\'s seconds).',
    )
    parser.add_argument("file", help="evemu recording (E: lines; the device header may be in it)")
    parser.add_argument("--desc", help="evemu device description, when FILE has no header")
    parser.add_argument(
        "--size",
        type=size_argument,
        metavar="WxH",
        default=DEFAULT_SIZE,
        help=f"screen size (default {DEFAULT_SIZE[0]}x{DEFAULT_SIZE[1]})",
    )
    parser.add_argument(
        "--rotation", type=int, choices=tuple(ROTATIONS), default=0, help="panel rotation"
    )
    parser.add_argument(
        "--matrix",
        type=_matrix,
        metavar="a,b,c,d,e,f",
        help="calibration a,b,c,d,e,f (libinput convention)",
    )
    parser.set_defaults(func=_replay_touch)

    rule = subparsers.add_parser(
        "touch-rule",
        help="hand the kiosk's touch rotation and calibration to libinput (root)",
        description="Write the udev rule that gives the panel the kiosk's own touch "
        "transform in libinput (display.rotation, then the technician's calibration or "
        "touch.matrix), and have udev apply it.",
    )
    rule.add_argument("--config", help="totem.toml (default: the embedded defaults)")
    rule.add_argument("--data-dir", default="/var/lib/totem", help="where a calibration is kept")
    rule.add_argument("--out", default=None, help="write the rule here and leave udev alone")
    rule.set_defaults(func=_touch_rule)


def _replay_touch(args: argparse.Namespace) -> int:
    from appliance.touch.decoder import DecoderError
    from appliance.touch.evemu import EvemuError, read_recording
    from appliance.touch.gestures import CONTRACT_KINDS
    from appliance.touch.pipeline import replay

    try:
        description, events = read_recording(args.file, args.desc)
    except EvemuError as error:
        raise CliError(f"{error.path or args.file}: {error}") from None
    except OSError as error:
        raise CliError(f"cannot read {error.filename}: {error.strerror}") from None
    try:
        gestures = replay(
            description, events, size=args.size, rotation=args.rotation, matrix=args.matrix
        )
    except DecoderError as error:
        raise CliError(str(error)) from None
    for gesture in gestures:
        if gesture.kind in CONTRACT_KINDS:
            line = {"gesture": gesture.kind, "x": gesture.x, "y": gesture.y, "t": gesture.t}
            print(json.dumps(line))
    return 0


def _touch_rule(args: argparse.Namespace) -> int:
    from pathlib import Path

    from appliance.config import ConfigError, load_config
    from appliance.touch import kept, libinput

    try:
        config = load_config(args.config)
    except ConfigError as error:
        raise CliError(str(error)) from None
    matrix = kept.in_force(Path(args.data_dir), config.touch["matrix"])  # as the kiosk does
    text = libinput.rule(config.display["rotation"], matrix)
    try:
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
        else:
            libinput.install(text)
    except (OSError, subprocess.SubprocessError) as error:
        raise CliError(f"cannot hand the touch transform to udev: {error}") from None
    print(text.splitlines()[-1])
    return 0
