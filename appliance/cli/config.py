"""`totem config check F`: the installer's first aid for `totem.toml`."""

from __future__ import annotations

import argparse

from appliance.cli import CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("config", help="check totem.toml")
    commands = parser.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = commands.add_parser("check", help="validate a totem.toml file")
    check.add_argument("file")
    check.add_argument("--lang", default="en", choices=("fr", "en"), help="language of the text")
    check.set_defaults(func=_check)


def _check(args: argparse.Namespace) -> int:
    from appliance.config import ConfigError, load_config

    try:
        config = load_config(args.file)
    except ConfigError as error:
        raise CliError(f"{args.file}: {error.located(args.lang)}") from None
    from appliance.netpolicy.allowlist import PolicyError, compute_allowlist

    try:
        allowlist = compute_allowlist(config)
    except PolicyError as error:  # what no single key shows (e.g. a resolver on loopback)
        raise CliError(f"{args.file}: {error.fr if args.lang == 'fr' else error}") from None
    for warning in allowlist.warnings:
        print(f"{args.file}: warning: {warning}")
    width, height = config.screen_size
    print(f"{args.file}: OK ({config.site['kiosk_id']}, {width}x{height}, hub {config.hub_host})")
    return 0
