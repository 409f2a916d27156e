"""`totem netpolicy render|apply|status`: the network lockdown."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from appliance.cli import CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    from appliance.netpolicy.apply import CONFIG_PATH, DATA_DIR, RUN_DIR
    from appliance.netpolicy.dhcp import LEASES_DIR

    parser = subparsers.add_parser("netpolicy", help="network lockdown (nftables + dnsmasq)")
    commands = parser.add_subparsers(dest="netpolicy_command", metavar="ACTION", required=True)

    render = commands.add_parser(
        "render", help="write nftables.conf and dnsmasq.conf for a totem.toml"
    )
    render.add_argument("--config", type=Path, default=CONFIG_PATH, help="totem.toml")
    render.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="data directory holding the cached content (site tiles)",
    )
    render.add_argument("--out", type=Path, required=True, help="directory for the two files")
    render.set_defaults(func=_render)

    apply = commands.add_parser(
        "apply", help="install the policy on this device; fail closed if it cannot"
    )
    apply.add_argument("--config", type=Path, default=CONFIG_PATH, help="totem.toml")
    apply.add_argument("--data-dir", type=Path, default=DATA_DIR)
    apply.add_argument(
        "--run-dir",
        type=Path,
        default=RUN_DIR,
        help="where the rendered files are kept (the resolver unit reads it)",
    )
    apply.add_argument(
        "--state-file",
        type=Path,
        default=None,
        help="status file (default /run/totem/netpolicy.json)",
    )
    apply.add_argument(
        "--leases-dir",
        type=Path,
        default=LEASES_DIR,
        help="systemd-networkd's DHCP leases, for the DNS servers when network.dns is empty",
    )
    apply.add_argument(
        "--boot",
        action="store_true",
        help="at boot: write the files, restart nothing (the units start after this one)",
    )
    apply.add_argument(
        "--if-changed",
        action="store_true",
        help="leave an applied policy alone when its files would not change",
    )
    apply.add_argument(
        "--no-system",
        action="store_true",
        help="only the firewall and the files: leave resolv.conf, timesyncd and the units alone",
    )
    apply.set_defaults(func=_apply)

    status = commands.add_parser("status", help="print set sizes, drop counters, resolver state")
    status.add_argument("--state-file", type=Path, default=None)
    status.set_defaults(func=_status)


def _render(args: argparse.Namespace) -> int:
    from appliance.config import ConfigError
    from appliance.netpolicy.allowlist import PolicyError
    from appliance.netpolicy.apply import render, write_rendered

    try:
        rendered = render(args.config, args.data_dir)
        nft_path, dnsmasq_path = write_rendered(rendered, args.out)
    except (ConfigError, PolicyError) as error:
        raise CliError(f"{args.config}: {error}") from None
    except OSError as error:
        raise CliError(f"cannot write to {args.out}: {error.strerror or error}") from None
    print(f"wrote {nft_path} and {dnsmasq_path}")
    return 0


def _apply(args: argparse.Namespace) -> int:
    import logging

    from appliance.netpolicy.apply import ApplyError, apply_policy, restart_services

    # stderr goes to the journal under systemd. A failure is the one line printed below, so
    # only warnings (site tiles left out) are passed on from the module's own logging.
    warnings = logging.StreamHandler()
    warnings.setFormatter(logging.Formatter("totem: %(message)s"))
    warnings.addFilter(lambda record: record.levelno == logging.WARNING)
    logger = logging.getLogger("totem.netpolicy")
    logger.addHandler(warnings)
    logger.propagate = False
    try:
        changed = apply_policy(
            args.config,
            args.data_dir,
            run_dir=args.run_dir,
            state_path=args.state_file,
            system=not args.no_system,
            restart=None if args.boot else restart_services,
            if_changed=args.if_changed,
            leases_dir=args.leases_dir,
        )
    except ApplyError as error:
        raise CliError(f"network policy failed closed: {error}") from None
    print(json.dumps({"state": "applied", "changed": changed, "run_dir": str(args.run_dir)}))
    return 0


def _status(args: argparse.Namespace) -> int:
    from appliance.netpolicy.apply import policy_status

    print(json.dumps(policy_status(args.state_file)))
    return 0
