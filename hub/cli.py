"""`totem-hub`: serve the hub and the town hall's tools (tokens, content, codes, exports)."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from hub import agents, content, export, releases, servicekeys, store, votecodes
from hub.database import DatabaseError, open_engine
from hub.server import ServeError, build_server, serve
from wire.content import ContentError
from wire.protocol import public_key_b64


class HubCliError(Exception):
    """A failure told in one line."""


def _serve(args: argparse.Namespace) -> None:
    serve(build_server(open_engine(args.db), args.listen, args.tls_cert, args.tls_key))


def _create_kiosk_token(args: argparse.Namespace) -> None:
    try:
        print(store.create_kiosk_token(open_engine(args.db), args.token))
    except ValueError as error:
        raise HubCliError(str(error)) from None


def _sign_content(args: argparse.Namespace) -> None:
    try:
        with open(args.file, encoding="utf-8") as f:
            document = json.load(f)
    except OSError as error:
        raise HubCliError(f"cannot read {args.file}: {error.strerror}") from None
    except ValueError as error:
        raise HubCliError(f"{args.file} is not valid JSON: {error}") from None
    # Accept either the bare content or a cached {"content": ...} file from a kiosk.
    if isinstance(document, dict) and "content" in document and "version" not in document:
        document = document["content"]
    try:
        published = content.publish(open_engine(args.db), document)
    except ContentError as error:
        raise HubCliError(f"{args.file}: {error}") from None
    print(f"published content version {document['version']} (ETag {published.etag})")


def _content_key(args: argparse.Namespace) -> None:
    print(content.content_public_key(open_engine(args.db)))


def _export(args: argparse.Namespace) -> None:
    rows = export.rows(open_engine(args.db), args.kind)
    if args.format == "csv":
        sys.stdout.write(export.as_csv(rows))
    else:
        sys.stdout.writelines(export.as_json_lines(rows))


def _add_agent(args: argparse.Namespace) -> None:
    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.login}: ")
        if getpass.getpass("Again: ") != password:
            raise HubCliError("the two passwords differ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        agents.set_agent(open_engine(args.db), args.login, password)
    except ValueError as error:
        raise HubCliError(str(error)) from None
    print(f"agent {args.login} can log in")


def _issue_codes(args: argparse.Namespace) -> None:
    if not 0 < args.count <= 1_000_000:
        raise HubCliError("--count must be between 1 and 1000000")
    engine = open_engine(args.db)
    codes = votecodes.issue_codes(engine, args.consultation, args.count)
    # Signed again at once so every kiosk's next sync asks citizens for a code.
    content.republish(engine)
    for code in codes:
        print(code)


def _release_publish(args: argparse.Namespace) -> None:
    kiosks = None if args.kiosks == "all" else [k for k in args.kiosks.split(",") if k]
    if kiosks is not None and not kiosks:
        raise HubCliError("--kiosks needs 'all' or a comma-separated list of kiosk ids")
    try:
        published = releases.publish(
            open_engine(args.db),
            Path(args.bundle),
            Path(args.store),
            kiosks,
            args.percent,
        )
    except releases.ReleaseRefused as error:
        raise HubCliError(str(error)) from None
    except OSError as error:
        raise HubCliError(f"cannot store the bundle in {args.store}: {error.strerror}") from None
    audience = ", ".join(kiosks) if kiosks else f"{args.percent} % of the kiosks"
    print(f"release {published.version} ({published.size} bytes) offered to {audience}")


def _release_list(args: argparse.Namespace) -> None:
    for found in releases.all_releases(open_engine(args.db)):
        audience = ",".join(found.kiosks) if found.kiosks is not None else f"{found.percent}%"
        print(f"{found.version}\t{found.size}\t{found.sha256}\t{audience}")


def _service_key_create(args: argparse.Namespace) -> None:
    try:
        public = servicekeys.create_key(open_engine(args.db))
    except servicekeys.DongleRefused as error:
        raise HubCliError(str(error)) from None
    print(public)


def _service_key_show(args: argparse.Namespace) -> None:
    key = servicekeys.service_key(open_engine(args.db))
    if key is None:
        raise HubCliError("no service key yet: run `totem-hub service-key create` first")
    print(public_key_b64(key))


def _dongle_issue(args: argparse.Namespace) -> None:
    kiosks = [k for k in args.kiosks.split(",") if k] if args.kiosks else None
    engine = open_engine(args.db)
    try:
        serial = servicekeys.issue_dongle(
            engine, args.technician, args.days, Path(args.out), kiosks, args.site
        )
    except servicekeys.DongleRefused as error:
        raise HubCliError(str(error)) from None
    except OSError as error:
        raise HubCliError(f"cannot write on {args.out}: {error.strerror}") from None
    print(f"dongle {serial} for {args.technician}, {args.days} days, written in {args.out}")


def _dongle_revoke(args: argparse.Namespace) -> None:
    engine = open_engine(args.db)
    try:
        servicekeys.revoke(engine, args.serial)
    except servicekeys.DongleRefused as error:
        raise HubCliError(str(error)) from None
    # Signed again at once: every kiosk refuses the dongle from its next sync.
    content.republish(engine)
    print(f"dongle {args.serial} revoked")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="totem-hub", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    db_default = os.environ.get("TOTEM_HUB_DB")

    def with_db(sub: argparse.ArgumentParser, func) -> argparse.ArgumentParser:
        sub.add_argument(
            "--db",
            default=db_default,
            required=db_default is None,
            metavar="URL",
            help="sqlite:///path/hub.sqlite3 or postgresql://user@host/db (env TOTEM_HUB_DB)",
        )
        sub.set_defaults(func=func)
        return sub

    def command(name: str, func, help_text: str) -> argparse.ArgumentParser:
        return with_db(commands.add_parser(name, help=help_text, description=help_text), func)

    sub = command("serve", _serve, "serve the kiosks' API and the agents' pages")
    sub.add_argument("--listen", default="127.0.0.1:8750", metavar="HOST:PORT")
    sub.add_argument("--tls-cert", metavar="FILE", help="PEM certificate chain for HTTPS")
    sub.add_argument("--tls-key", metavar="FILE", help="PEM private key for HTTPS")
    sub = command("create-kiosk-token", _create_kiosk_token, "print a one-time enrolment token")
    sub.add_argument("--token", help="use this token instead of a random one")
    sub = command("sign-content", _sign_content, "validate, sign and publish a content file")
    sub.add_argument("file", metavar="FILE")
    command("content-key", _content_key, "print the town hall's content public key (base64)")
    sub = command("export", _export, "print every submission (JSON lines or CSV)")
    sub.add_argument("--format", choices=("json", "csv"), default="json")
    sub.add_argument("--kind", choices=("idea", "rating", "vote"))
    sub = command("add-agent", _add_agent, "create an agent or change their password (stdin)")
    sub.add_argument("login")
    sub = commands.add_parser("release", help="offer release bundles to kiosks")
    actions = sub.add_subparsers(dest="action", required=True, metavar="ACTION")
    publish = with_db(
        actions.add_parser("publish", help="store a bundle and offer it"), _release_publish
    )
    publish.add_argument("--bundle", required=True, metavar="FILE")
    publish.add_argument(
        "--store",
        default=os.environ.get("TOTEM_HUB_RELEASES", "/var/lib/totem-hub/releases"),
        metavar="DIR",
        help="where the hub keeps bundles (env TOTEM_HUB_RELEASES)",
    )
    publish.add_argument("--kiosks", default="all", metavar="all|ID,ID")
    publish.add_argument("--percent", type=int, default=100, help="staged rollout, 0-100")
    with_db(
        actions.add_parser("list", help="the releases and who they are offered to"), _release_list
    )
    keys = commands.add_parser("service-key", help="the town hall's key for service dongles")
    key_actions = keys.add_subparsers(dest="action", required=True, metavar="ACTION")
    with_db(
        key_actions.add_parser("create", help="make it; print its public key"), _service_key_create
    )
    with_db(key_actions.add_parser("show", help="print its public key"), _service_key_show)
    dongle = commands.add_parser("dongle", help="technicians' service dongles")
    dongle_actions = dongle.add_subparsers(dest="action", required=True, metavar="ACTION")
    issue = with_db(
        dongle_actions.add_parser("issue", help="write TOTEM-SERVICE.token on a stick"),
        _dongle_issue,
    )
    issue.add_argument("--technician", required=True)
    where = issue.add_mutually_exclusive_group(required=True)
    where.add_argument("--kiosks", help="kiosk ids, comma-separated")
    where.add_argument("--site", help="every kiosk of this site")
    issue.add_argument("--days", type=int, default=30)
    issue.add_argument("--out", required=True, metavar="DIR", help="the stick's folder")
    revoke = with_db(
        dongle_actions.add_parser("revoke", help="refuse a dongle from the kiosks' next sync"),
        _dongle_revoke,
    )
    revoke.add_argument("serial")
    sub = command("issue-codes", _issue_codes, "print single-use voting codes for a consultation")
    sub.add_argument("--consultation", required=True, metavar="ID")
    sub.add_argument("--count", type=int, required=True)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        args.func(args)
    except (HubCliError, DatabaseError, ServeError) as error:
        print(f"totem-hub: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
