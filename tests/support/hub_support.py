"""A real hub on loopback (Cheroot on a thread, SQLite in a temp dir) and a signing kiosk."""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from demo.localhub import free_port
from hub import store
from hub.database import open_engine
from hub.server import build_server
from wire.protocol import (
    API_PREFIX,
    public_key_b64,
)
from wire.signing import signed_headers


class RunningHub:
    def __init__(self, db_url: str):
        self.engine = open_engine(db_url)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = build_server(self.engine, f"127.0.0.1:{self.port}")
        self.server.prepare()
        self.thread = threading.Thread(target=self.server.serve, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.stop()
        self.thread.join(10)
        self.engine.dispose()

    def alive(self) -> bool:
        return requests.get(f"{self.url}/login", timeout=10).status_code == 200


def agent_login(
    hub: RunningHub, login: str, password: str, next_page: str | None = None
) -> tuple[requests.Session, int]:
    """An agent's browser session after the login form; with the answer's status."""
    session = requests.Session()
    form = session.get(f"{hub.url}/login", timeout=10).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    data = {"login": login, "password": password, "csrf": csrf}
    if next_page:
        data["next"] = next_page
    answer = session.post(f"{hub.url}/login", data=data, timeout=30)
    return session, answer.status_code


class Kiosk:
    """What the kiosk's sync process does on the wire, written out plainly for the tests."""

    def __init__(self, hub: RunningHub, kiosk_id: str = "hall-01"):
        self.hub = hub
        self.kiosk_id = kiosk_id
        self.key = Ed25519PrivateKey.generate()

    def enrol(self, token: str | None = None) -> requests.Response:
        token = token or store.create_kiosk_token(self.hub.engine)
        body = {"token": token, "kiosk_id": self.kiosk_id, "public_key": public_key_b64(self.key)}
        return requests.post(f"{self.hub.url}{API_PREFIX}/enrol", json=body, timeout=10)

    def headers(self, method: str, path: str, body: bytes, **override: Any) -> dict[str, str]:
        headers = signed_headers(
            override.get("key", self.key),
            override.get("kiosk_id", self.kiosk_id),
            method,
            path,
            body,
            timestamp=override.get("timestamp"),
            nonce=override.get("nonce"),
        )
        return headers | {"Content-Type": "application/json"}

    def send(self, method: str, endpoint: str, body: bytes = b"", **override: Any):
        path = f"{API_PREFIX}/{endpoint}"
        headers = self.headers(method, path, body, **override)
        headers.update(override.get("extra_headers", {}))
        return requests.request(
            method, f"{self.hub.url}{path}", data=body, headers=headers, timeout=30
        )

    def upload(self, items: list[dict[str, Any]], **override: Any) -> requests.Response:
        body = json.dumps({"submissions": items}).encode()
        return self.send("POST", "submissions", body, **override)

    def submission(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": str(uuid.uuid4()),
            "kind": kind,
            "created_at": datetime.now(UTC).isoformat(),
            "payload": payload,
            "content_version": "demo-1",
            "kiosk_id": self.kiosk_id,
        }

    def idea(self, text: str) -> dict[str, Any]:
        return self.submission("idea", {"text": text, "category": "cadre-de-vie"})


def postgres_binaries() -> Path | None:
    """The directory of initdb and pg_ctl from Debian's postgresql package, if installed."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A throw-away PostgreSQL cluster on loopback; yields its URL (skips when unavailable).

    As root the cluster belongs to the `postgres` user, since PostgreSQL refuses to run as
    root; otherwise it belongs to whoever runs the tests.
    """
    bindir = postgres_binaries()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    as_root = os.geteuid() == 0
    if as_root:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("no postgres user to run the PostgreSQL server as")
    directory = Path(tempfile.mkdtemp(prefix="totem-hub-pg-"))
    data = directory / "data"
    if as_root:
        os.chown(directory, owner.pw_uid, owner.pw_gid)
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    port = free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=120)

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-w",
            "-l",
            str(directory / "log"),
            "start",
        )
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(directory, ignore_errors=True)
