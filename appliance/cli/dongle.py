"""`totem dongle make|verify|read|export|install`: write a technician's service
token, say if one opens this totem (exit 0 valid, 1 refused with one line saying why),
and, on the totem, judge the stick udev found and tell the kiosk
(appliance/service/dongle.py), and carry out what the service menu asks of the stick."""

from __future__ import annotations

import argparse
import secrets
import sys
from datetime import UTC, datetime
from pathlib import Path

from appliance.cli import CliError
from appliance.said import Said


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("dongle", help="technicians' service dongles")
    commands = parser.add_subparsers(dest="dongle_command", metavar="ACTION", required=True)

    make = commands.add_parser("make", help="write TOTEM-SERVICE.token for a technician")
    make.add_argument("--key", required=True, help="the service key (PEM, Ed25519 private)")
    make.add_argument("--technician", required=True)
    where = make.add_mutually_exclusive_group(required=True)
    where.add_argument("--kiosks", help="kiosk ids, comma-separated")
    where.add_argument("--site", help="every kiosk of this site (totem.toml [site] name)")
    make.add_argument("--days", type=int, default=30)
    make.add_argument("--out", required=True, metavar="DIR", help="the stick's folder")
    make.set_defaults(func=_make)

    verify = commands.add_parser("verify", help="does the token in DIR open this totem?")
    verify.add_argument("dir", metavar="DIR")
    verify.add_argument("--config", help="totem.toml: kiosk id, site, service keys")
    verify.add_argument("--kiosk", help="the kiosk id to check for (default: the config's)")
    verify.add_argument("--site", help="the site to check for (default: the config's)")
    verify.add_argument("--key", action="append", default=[], help="a trusted public key")
    verify.add_argument(
        "--data-dir", help="the totem's data: its clock floor, the hub's keys and revocations"
    )
    verify.set_defaults(func=_verify)

    read = commands.add_parser(
        "read", help="on the totem: judge the stick on DEVICE and tell the kiosk (udev runs it)"
    )
    read.add_argument("device", metavar="DEVICE", help="the block device, e.g. sda1")
    _totem_arguments(read)
    read.set_defaults(func=_read)

    export = commands.add_parser(
        "export", help="on the totem: write the logs asked for in the service menu to its stick"
    )
    _totem_arguments(export)
    export.set_defaults(func=_export)

    install = commands.add_parser(
        "install", help="on the totem: install the .raucb on the stick, as the service menu asked"
    )
    install.add_argument("--keyring", help="RAUC keyring (default: /etc/rauc/system.conf's)")
    install.add_argument("--running", help="the release to compare with (default: this one's)")
    _totem_arguments(install)
    install.set_defaults(func=_install)


def _totem_arguments(parser: argparse.ArgumentParser) -> None:
    from appliance.service.visit import STATE_FILE

    parser.add_argument("--config", help="totem.toml (default: the totem's)")
    parser.add_argument("--data-dir", default="/var/lib/totem", help="the totem's data")
    parser.add_argument("--state", default=STATE_FILE, help="what the kiosk reads")


def _make(args: argparse.Namespace) -> int:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    from wire.servicetoken import FILENAME, issue

    try:
        key = load_pem_private_key(Path(args.key).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise CliError(f"cannot read the service key {args.key}: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CliError(f"the service key {args.key} is not an Ed25519 key")
    kiosks = [k for k in args.kiosks.split(",") if k] if args.kiosks else None
    serial = secrets.token_hex(8)
    try:
        data = issue(key, args.technician, serial, _now(), args.days, kiosks, args.site)
    except ValueError as error:
        raise CliError(str(error)) from None
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / FILENAME).write_bytes(data)
    print(f"{out / FILENAME}: serial {serial}, {args.technician}, {args.days} days")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from appliance.service import clock, dongle
    from appliance.service.stick import StickError, read_token
    from wire.protocol import load_public_key
    from wire.servicetoken import Refused

    data_dir = Path(args.data_dir) if args.data_dir else None
    trusted = dongle.trust(_load_config(args.config) if args.config else None, data_dir)
    trusted = replace(
        trusted,
        kiosk_id=args.kiosk or trusted.kiosk_id,
        site=args.site or trusted.site,
        keys=(*args.key, *trusted.keys),
    )
    if not trusted.kiosk_id or not trusted.keys:
        raise CliError("give --kiosk and --key, or --config with [service] keys")
    for key in args.key:
        try:
            load_public_key(key)
        except ValueError as error:
            raise CliError(f"--key: {error}") from None
    now = clock.trusted_now(data_dir) if data_dir else _now()
    try:
        token = dongle.judge(read_token(Path(args.dir)), trusted, now)
    except StickError as error:
        raise CliError(f"refused: {error}") from None
    except Refused as refusal:
        raise CliError(f"refused ({refusal.code}): {refusal.en}") from None
    print(
        f"valid: {token.technician}, serial {token.serial}, until "
        f"{token.expires:%Y-%m-%d %H:%M} UTC, for {trusted.kiosk_id}"
    )
    return 0


def _read(args: argparse.Namespace) -> int:
    from appliance.service import dongle

    try:
        device = dongle.device_path(args.device)
    except ValueError as error:
        raise CliError(str(error)) from None
    from appliance.config import ConfigError, load_config

    data_dir = Path(args.data_dir)
    try:
        config = load_config(args.config)
    except ConfigError as error:  # the technician may be here to mend it
        print(f"totem.toml unreadable ({error}): trusting the hub's keys only", file=sys.stderr)
        config = None
    trusted = dongle.trust(config, data_dir)
    try:
        visit = dongle.examine(device, trusted, data_dir)
        told = dongle.publish(visit, Path(args.state))
    except OSError as error:
        raise CliError(f"cannot record the dongle: {error}") from None
    if not told:
        print("a service menu is open for another stick: this one is only audited")
    if visit.opens:
        print(f"valid: {visit.technician}, serial {visit.serial}, on {visit.device}")
        return 0
    raise CliError(f"refused ({visit.code}): {visit.reason.en}")


def _export(args: argparse.Namespace) -> int:
    from appliance.service import dongle, export

    data_dir = Path(args.data_dir)
    try:
        config = _load_config(args.config)
    except CliError:
        config = None  # the enrolled kiosk names the folder
    kiosk = dongle.trust(config, data_dir).kiosk_id or "totem"
    outcome = export.run(data_dir, Path(args.state).parent / export.RESULT, kiosk)
    if not outcome["ok"]:
        raise CliError(f"logs not exported: {Said.from_json(outcome['reason']).en}")
    print(f"logs exported to {outcome['folder']}: {', '.join(outcome['files'])}")
    return 0


def _install(args: argparse.Namespace) -> int:
    from appliance.service import install

    outcome = install.run(
        Path(args.data_dir),
        Path(args.state).parent / install.RESULT,
        keyring=Path(args.keyring) if args.keyring else None,
        running=args.running,
    )
    if not outcome["ok"]:
        raise CliError(Said.from_json(outcome["reason"]).en)
    print(f"release {outcome['version']} installed: it starts on trial at the next restart")
    return 0


def _load_config(path: str | None):
    from appliance.config import ConfigError, load_config

    try:
        return load_config(path)
    except ConfigError as error:
        raise CliError(str(error)) from None


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
