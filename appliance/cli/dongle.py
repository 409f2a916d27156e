"""`totem dongle make|verify`: write a technician's service token, or say if one opens this
totem (exit 0 valid, 1 refused with one line saying why)."""

from __future__ import annotations

import argparse
import secrets
from datetime import UTC, datetime
from pathlib import Path

from appliance.cli import CliError


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
    from appliance.service import clock
    from appliance.service.stick import StickError, read_token
    from wire.protocol import load_public_key
    from wire.servicetoken import Refused, check

    kiosk, site, keys = args.kiosk, args.site, list(args.key)
    if args.config:
        from appliance.config import ConfigError, load_config

        try:
            config = load_config(args.config)
        except ConfigError as error:
            raise CliError(str(error)) from None
        kiosk = kiosk or config.site["kiosk_id"]
        site = site or config.site["name"]
        keys += list(config.service["keys"])
    revoked: set[str] = set()
    if args.data_dir:
        # The hub's signed content, as the sync verified and kept it: its service keys
        # and the serials the town hall revoked.
        from appliance.content import load_content

        service = load_content(args.data_dir).get("service", {})
        keys += service.get("keys", [])
        revoked = set(service.get("revoked", []))
    if not kiosk or not keys:
        raise CliError("give --kiosk and --key, or --config with [service] keys")
    try:
        trusted = [load_public_key(k) for k in keys]
    except ValueError as error:
        raise CliError(f"--key: {error}") from None
    now = clock.trusted_now(Path(args.data_dir)) if args.data_dir else _now()
    try:
        token = check(read_token(Path(args.dir)), trusted, kiosk, site or "", now, revoked)
    except StickError as error:
        raise CliError(f"refused: {error}") from None
    except Refused as refusal:
        raise CliError(f"refused ({refusal.code}): {refusal.en}") from None
    print(
        f"valid: {token.technician}, serial {token.serial}, until "
        f"{token.expires:%Y-%m-%d %H:%M} UTC, for {kiosk}"
    )
    return 0


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
