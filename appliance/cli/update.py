"""`totem update status|install|health|restart`: A/B updates from the command line.

- status: the slots, the release running and offered, the last result.
- install FILE.raucb: a bundle from a stick or a PC, through RAUC like a remote one.
- health, restart: the steps of a trial start root's units run (appliance/update/trial.py).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("update", help="A/B updates: status")
    commands = parser.add_subparsers(dest="update_command", metavar="ACTION", required=True)
    status = commands.add_parser("status", help="slots, versions, offered release, last result")
    status.add_argument("--data-dir", default="/var/lib/totem")
    status.add_argument("--json", action="store_true", help="one JSON object")
    status.set_defaults(func=_status)
    install = commands.add_parser("install", help="install a local bundle (.raucb) through RAUC")
    install.add_argument("bundle", help="the signed bundle")
    install.set_defaults(func=_install)
    check = commands.add_parser("health", help="on a trial start: keep the slot or leave it")
    check.add_argument("--config", help="totem.toml (default: the embedded demo config)")
    check.add_argument("--data-dir", default="/var/lib/totem")
    check.add_argument("--limit", type=float, default=None, help="seconds to wait for health")
    check.set_defaults(func=_health)
    restart = commands.add_parser("restart", help="restart into an installed release, if asked")
    restart.add_argument("--data-dir", default="/var/lib/totem")
    restart.set_defaults(func=_restart)


def _install(args: argparse.Namespace) -> int:
    from appliance.cli import CliError
    from appliance.update import rauc

    bundle = Path(args.bundle).resolve()
    if not bundle.is_file():
        raise CliError(f"{args.bundle}: no such bundle")
    if not rauc.available():
        raise CliError("RAUC is not set up here (no /etc/rauc/system.conf): not a totem")
    last = [-1]

    def progress(percent: int, message: str) -> None:
        if percent != last[0]:
            last[0] = percent
            print(f"{percent:3d} % {message}", flush=True)

    try:
        rauc.install(bundle, progress)
    except rauc.InstallFailed as error:
        raise CliError(f"{args.bundle}: {error}") from None
    print("installed: the totem starts it on trial at its next restart")
    return 0


def _health(args: argparse.Namespace) -> int:
    from appliance.cli import CliError
    from appliance.config import ConfigError, load_config
    from appliance.update import backend, health, trial

    logging.basicConfig(format="totem update: %(message)s", level=logging.INFO)
    try:
        config = load_config(args.config)
    except ConfigError as error:
        # A release that cannot read the installer's file is not fit to keep.
        config = None
        problem = str(error)
    paths = backend.Paths.from_env(os.environ)
    limit = health.HEALTH_LIMIT_S if args.limit is None else args.limit
    if not trial.on_trial(paths):
        print("not on trial: nothing to check")  # every start but the first of a release
        return 0
    try:
        if config is None:
            print(trial.leave(Path(args.data_dir), f"totem.toml unreadable: {problem}"))
            return 1
        print(trial.check(config, Path(args.data_dir), limit))
    except (OSError, subprocess.SubprocessError) as error:
        raise CliError(f"health check: {error}") from None
    return 0


def _restart(args: argparse.Namespace) -> int:
    from appliance.cli import CliError
    from appliance.update import backend, trial

    logging.basicConfig(format="totem update: %(message)s", level=logging.INFO)
    try:
        print(trial.restart(Path(args.data_dir), backend.Paths.from_env(os.environ)))
    except (OSError, subprocess.SubprocessError) as error:
        raise CliError(f"restart: {error}") from None
    return 0


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
