"""`totem sync`: the process that delivers the outbox to the town hall's hub."""

from __future__ import annotations

import argparse

from appliance.cli import CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sync",
        help="deliver the outbox to the hub, pull content, send heartbeats",
        description="Enrol with the hub on first run, then deliver submissions as they come. "
        "With --once: deliver what is pending and exit 0, or exit 1 if the hub is unreachable.",
    )
    parser.add_argument("--config", help="totem.toml (default: the embedded demo config)")
    parser.add_argument("--data-dir", required=True, help="where the outbox and keys live")
    parser.add_argument("--once", action="store_true", help="one pass, then exit")
    parser.set_defaults(func=_sync)


def _sync(args: argparse.Namespace) -> int:
    import logging
    import signal
    import threading

    from appliance.config import ConfigError, load_config
    from appliance.store import OutboxError
    from appliance.sync.client import HubError
    from appliance.sync.devicekey import DeviceKeyError
    from appliance.sync.service import SyncService

    logging.basicConfig(format="totem sync: %(message)s", level=logging.INFO)
    try:
        config = load_config(args.config)
    except ConfigError as error:
        raise CliError(f"{args.config or 'default config'}: {error}") from None
    try:
        service = SyncService(config, args.data_dir)
    except (ValueError, OutboxError, DeviceKeyError, OSError) as error:
        raise CliError(str(error)) from None
    with service:
        if args.once:
            try:
                service.run_once()
            except HubError as error:
                raise CliError(f"{error}; {service.outbox.unsent_count()} still pending") from None
            return 0
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        service.run_forever(stop)
    return 0
