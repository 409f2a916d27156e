"""`totem update status`: the slots, the release running and offered, the last result."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("update", help="A/B updates: status")
    commands = parser.add_subparsers(dest="update_command", metavar="ACTION", required=True)
    status = commands.add_parser("status", help="slots, versions, offered release, last result")
    status.add_argument("--data-dir", default="/var/lib/totem")
    status.add_argument("--json", action="store_true", help="one JSON object")
    status.set_defaults(func=_status)


def _status(args: argparse.Namespace) -> int:
    from appliance.update import backend, version
    from appliance.update.agent import STATUS

    try:
        download = json.loads((Path(args.data_dir) / "update" / STATUS).read_text("utf-8"))
    except (OSError, ValueError):
        download = {}
    summary = {
        "running": version.running(),
        "slots": backend.slots_summary(backend.Paths.from_env(os.environ)),
        "download": download if isinstance(download, dict) else {},
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, sort_keys=True))
        return 0
    print(f"running release: {summary['running']}")
    slots = summary["slots"]
    if "error" in slots:
        print(f"slots: unknown ({slots['error']})")
    else:
        states = ", ".join(f"{name} {word}" for name, word in sorted(slots["states"].items()))
        print(
            f"slots: running {slots['booted']}, normal {slots['normal']}, next start "
            f"{slots['next']}{' (trial)' if slots['trying'] else ''}; {states}"
        )
    if download:
        line = f"offered release: {download.get('offered', '?')} {download.get('state', '?')}"
        if download.get("reason"):
            line += f" ({download['reason']})"
        print(line)
    else:
        print("offered release: none")
    return 0
