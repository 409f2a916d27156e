"""`totem outbox list|add`: what the kiosk holds for the town hall."""

from __future__ import annotations

import argparse
import json

from appliance.cli import CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("outbox", help="list or queue submissions")
    commands = parser.add_subparsers(dest="outbox_command", metavar="ACTION", required=True)

    listing = commands.add_parser("list", help="JSON lines of every stored submission")
    listing.add_argument("--data-dir", required=True)
    listing.add_argument("--unsent", action="store_true", help="only those not yet acknowledged")
    listing.set_defaults(func=_list)

    add = commands.add_parser("add", help="queue a submission by hand (operators)")
    add.add_argument("--data-dir", required=True)
    add.add_argument("--kind", choices=["idea"], required=True)
    add.add_argument("--text", required=True)
    add.add_argument("--category", default="autre")
    add.add_argument("--kiosk-id", default="operator")
    add.set_defaults(func=_add)


def _list(args: argparse.Namespace) -> int:
    from appliance.store import Outbox, OutboxError

    try:
        with Outbox(args.data_dir) as outbox:
            items = outbox.pending(limit=-1) if args.unsent else outbox.all()
    except OutboxError as error:
        raise CliError(str(error)) from None
    for item in items:
        print(json.dumps(item.as_json(), ensure_ascii=False))
    return 0


def _add(args: argparse.Namespace) -> int:
    from appliance.store import Outbox, OutboxError

    text = args.text.strip()
    if not text:
        raise CliError("--text is empty")
    try:
        with Outbox(args.data_dir) as outbox:
            item = outbox.add(
                args.kind,
                {"category": args.category, "text": text, "language": "fr"},
                kiosk_id=args.kiosk_id,
                content_version="operator",
            )
    except OutboxError as error:
        raise CliError(str(error)) from None
    print(json.dumps(item.as_json(), ensure_ascii=False))
    return 0
