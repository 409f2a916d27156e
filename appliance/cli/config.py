"""`totem config check F`: the installer's first aid for `totem.toml`.

Every mistake of the file is said in one run, each with its key and line (exit 1), then
the warnings (exit 0 when they are all there is).
"""

from __future__ import annotations

import argparse
import sys

from appliance.cli import CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("config", help="check totem.toml")
    commands = parser.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = commands.add_parser("check", help="validate a totem.toml file")
    check.add_argument("file")
    check.add_argument("--lang", default="en", choices=("fr", "en"), help="language of the text")
    check.set_defaults(func=_check)


def _check(args: argparse.Namespace) -> int:
    from appliance.config import review_file
    from appliance.netpolicy.allowlist import PolicyError, compute_allowlist

    config, errors, warnings = review_file(args.file)
    warning_word = "attention" if args.lang == "fr" else "warning"
    if errors:
        *first, last = errors
        for error in first:
            print(f"totem: {args.file}: {error.located(args.lang)}", file=sys.stderr)
        word = "erreurs" if args.lang == "fr" else "mistakes"
        count = f" ({len(errors)} {word})" if first else ""
        raise CliError(f"{args.file}: {last.located(args.lang)}{count}")
    try:
        allowlist = compute_allowlist(config)
    except PolicyError as error:  # what no single key shows (e.g. a resolver on loopback)
        raise CliError(f"{args.file}: {error.fr if args.lang == 'fr' else error}") from None
    for warning in warnings:
        print(f"{args.file}: {warning_word}: {warning.located(args.lang)}")
    for warning in allowlist.warnings:
        print(f"{args.file}: {warning_word}: {warning}")
    width, height = config.screen_size
    print(f"{args.file}: OK ({config.site['kiosk_id']}, {width}x{height}, hub {config.hub_host})")
    return 0
