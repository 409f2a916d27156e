"""`totem bench`: touch-to-frame latency, render times, idle CPU and memory."""

from __future__ import annotations

import argparse
import json

from appliance.cli import CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bench", help="measure the UI's own performance figures")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    parser.add_argument(
        "--idle-seconds", type=float, default=10.0, help="how long to watch the idle kiosk"
    )
    parser.set_defaults(func=_bench)


def _bench(args: argparse.Namespace) -> int:
    from appliance.bench import run_bench, table

    try:
        figures = run_bench(args.idle_seconds)
    except RuntimeError as error:
        raise CliError(f"benchmark failed: {error}") from None
    print(json.dumps(figures) if args.json else table(figures))
    return 0
