"""`totem` command line.

Each module in this package holds the commands of one concern and exposes
`register(subparsers)`; the parser is assembled from whatever modules are here, so
a new concern adds a file and touches nothing else. Modules import their heavy
dependencies (pygame, evdev, requests) inside the command functions, so `--help`
stays fast and a missing optional component only affects its own command.

Contract (DESIGN.md): exit 0 success, 1 failure, 2 usage error; errors are one
clear line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from appliance import __version__


class CliError(Exception):
    """A failure the user can act on; printed as one line, exit status 1."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="totem", description="Totem citizen-participation kiosk.")
    parser.add_argument("--version", action="version", version=f"totem {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status = args.func(args)
    except CliError as error:
        print(f"totem: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1
    except Exception as error:  # the contract forbids tracebacks on the console
        print(f"totem {args.command}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0 if status is None else int(status)
