"""`totem run`: the kiosk itself."""

from __future__ import annotations

import argparse
import os
import shlex
from pathlib import Path

from appliance.cli import CliError
from appliance.runtime.video import VIDEO_DRIVERS

DEVICE_DATA_DIR = Path("/var/lib/totem")
DESKTOP_DATA_DIR = Path("run-data/kiosk")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="run the kiosk (touch UI)")
    parser.add_argument("--config", help="totem.toml (default: the embedded demo settings)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help=f"outbox, content cache, reports (default: {DEVICE_DATA_DIR} if writable, "
        f"else ./{DESKTOP_DATA_DIR})",
    )
    parser.add_argument(
        "--video",
        choices=VIDEO_DRIVERS,
        default="auto",
        help="SDL video driver (auto: SDL's choice, kmsdrm on the device)",
    )
    parser.add_argument(
        "--input",
        default="auto",
        metavar="auto|evemu:PATH|mouse",
        help="touch panel (auto), an evemu recording or FIFO replayed in real time, "
        "or the desktop mouse",
    )
    parser.add_argument(
        "--a11y-out",
        type=Path,
        metavar="F",
        help="rewrite F with the accessibility tree after every frame",
    )
    parser.add_argument(
        "--service-state",
        type=Path,
        metavar="F",
        help="where the dongle reader says a service dongle is in (default: "
        "/run/totem/service/dongle.json)",
    )
    parser.add_argument(
        "--browser-prefix",
        default="",
        metavar="COMMAND",
        help="a command line the site browser is started under (tests: a namespace and "
        "an unprivileged user; cage refuses to run as root)",
    )
    parser.set_defaults(func=_run)


def default_data_dir() -> Path:
    if DEVICE_DATA_DIR.is_dir() and os.access(DEVICE_DATA_DIR, os.W_OK | os.X_OK):
        return DEVICE_DATA_DIR
    return DESKTOP_DATA_DIR


def _run(args: argparse.Namespace) -> int:
    if args.input not in ("auto", "mouse") and not args.input.startswith("evemu:"):
        raise CliError(f"--input must be auto, evemu:PATH or mouse, not {args.input!r}")
    if args.input.startswith("evemu:") and not os.path.exists(args.input[len("evemu:") :]):
        raise CliError(f"evemu input {args.input[len('evemu:') :]} not found")
    if args.a11y_out is not None and not args.a11y_out.parent.is_dir():
        raise CliError(f"--a11y-out {args.a11y_out}: its directory does not exist")

    import logging

    from appliance.runtime.kiosk import Kiosk, KioskError, Options

    # stderr goes to the journal on the device: one line per message, level first
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")

    options = Options(
        config_path=args.config,
        data_dir=args.data_dir or default_data_dir(),
        video=args.video,
        input=args.input,
        a11y_out=args.a11y_out,
        browser_prefix=tuple(shlex.split(args.browser_prefix)),
        **({"service_state": args.service_state} if args.service_state else {}),
    )
    try:
        return Kiosk(options).run()
    except KioskError as error:
        raise CliError(str(error)) from None
