"""`totem check [--json] [--sysroot DIR]`: the hardware self-checks.

Exit status 0 when nothing failed, 1 when some check failed (skips and warnings do not
count), so a technician's script or the timer's journal shows trouble at a glance.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from appliance.cli import CliError

DEVICE_CONFIG = Path("/run/totem/cfg/totem.toml")
SYMBOLS = {"ok": "OK  ", "warn": "WARN", "fail": "FAIL", "skip": "SKIP"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("check", help="run the hardware self-checks")
    parser.add_argument("--json", action="store_true", help="one JSON object per check")
    parser.add_argument(
        "--sysroot", metavar="DIR", help="read a recorded /sys + /proc tree instead of this machine"
    )
    parser.add_argument(
        "--config", metavar="F", help="totem.toml (default: the device's, else the demo default)"
    )
    parser.add_argument(
        "--data-dir",
        metavar="D",
        help="data directory: outbox, report (default /var/lib/totem; with --sysroot, the "
        "recorded one)",
    )
    parser.add_argument("--write", action="store_true", help="store the report in the data dir")
    parser.add_argument("--lang", default="en", choices=("fr", "en"), help="language of the text")
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this check")
    parser.set_defaults(func=_check)


def _load_config(args: argparse.Namespace):
    from appliance.config import ConfigError, load_config

    path = Path(args.config) if args.config else None
    if path is None and not args.sysroot and DEVICE_CONFIG.exists():
        path = DEVICE_CONFIG
    try:
        return load_config(path)
    except ConfigError as error:
        # the UI shows the configuration error; checks that need no setting still run
        print(f"totem check: {path}: {error} (checks needing it are skipped)", file=sys.stderr)
        return None


def _check(args: argparse.Namespace) -> int:
    from appliance.hwcheck.context import DEFAULT_DATA_DIR, CheckContext
    from appliance.hwcheck.report import FALLBACK_DIR, write_report
    from appliance.hwcheck.runner import CHECKS, run_checks
    from appliance.hwcheck.sysroot import Sysroot

    if args.sysroot and not Path(args.sysroot).is_dir():
        what = "not a directory" if Path(args.sysroot).exists() else "no such directory"
        raise CliError(f"--sysroot {args.sysroot}: {what}")
    known = [name for name, _ in CHECKS]
    for name in args.only or ():
        if name not in known:
            raise CliError(f"unknown check {name!r} (known: {', '.join(known)})")
    sysroot = Sysroot(args.sysroot or "/")
    data_dir = Path(args.data_dir).absolute() if args.data_dir else None
    if sysroot.live:
        ctx = CheckContext(sysroot, data_dir or DEFAULT_DATA_DIR, _load_config(args))
    else:
        # a recorded machine keeps its own data directory; --data-dir is on this machine
        ctx = CheckContext(sysroot, DEFAULT_DATA_DIR, _load_config(args), local_data=data_dir)
    results = run_checks(ctx, args.only)
    for result in results:
        if args.json:
            print(json.dumps(result.as_json(), ensure_ascii=False), flush=True)
        else:
            code = f" [{result.code}]" if result.code else ""
            print(f"{SYMBOLS[result.status]} {result.name:<15} {result.message(args.lang)}{code}")
    if args.write:
        # on this machine, a read-only or full data partition still gets its report seen
        fallback = FALLBACK_DIR if sysroot.live and ctx.data_dir == DEFAULT_DATA_DIR else None
        try:
            write_report(ctx.local_data_dir(), results, fallback_dir=fallback)
        except OSError as error:
            raise CliError(f"cannot write the report in {ctx.local_data_dir()}: {error}") from None
    return 1 if any(result.status == "fail" for result in results) else 0
