"""A town-hall hub on this machine's loopback, run as a child process.

Used by the demo (`make run`), the sync benchmark and the integration tests: they all need
the real `totem-hub serve` on a free port with its own SQLite file, and to stop it after.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

PR_SET_PDEATHSIG = 1  # <sys/prctl.h>


def terminate_with_parent() -> None:
    """In a child, before it runs: SIGTERM it when the process that started it dies, even
    by SIGKILL (Linux's PR_SET_PDEATHSIG), so nothing the demo started outlives it."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")


class LocalHubError(Exception):
    """The hub could not be started or did not answer a command."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hub_command() -> list[str]:
    """`totem-hub` from the same installation as this Python, else from PATH."""
    beside = Path(sys.executable).with_name("totem-hub")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("totem-hub")
    if found:
        return [found]
    return [sys.executable, "-m", "hub"]


class LocalHub:
    def __init__(
        self,
        directory: str | Path,
        port: int | None = None,
        *,
        quiet: bool = True,
        command: list[str] | None = None,
        tls: tuple[Path, Path] | None = None,
    ):
        self.command = command or hub_command()
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.db = f"sqlite:///{(self.directory / 'hub.sqlite3').resolve()}"
        self.port = port or free_port()
        self.tls = tls  # (certificate chain, private key) to serve HTTPS
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.quiet = quiet
        self.process: subprocess.Popen | None = None

    def run(self, *args: str, stdin: str | None = None) -> str:
        """Run a `totem-hub` command against this hub's database; its standard output."""
        result = subprocess.run(
            [*self.command, *args, "--db", self.db],
            input=stdin or "",
            capture_output=True,
            text=True,
            timeout=60,
        )
        if result.returncode != 0:
            reason = (result.stderr.strip() or result.stdout.strip()).splitlines()
            raise LocalHubError(f"totem-hub {args[0]} failed: {reason[-1] if reason else '?'}")
        return result.stdout

    def create_kiosk_token(self, token: str | None = None) -> str:
        extra = ["--token", token] if token else []
        return self.run("create-kiosk-token", *extra).strip().splitlines()[-1].strip()

    def add_agent(self, login: str, password: str) -> None:
        self.run("add-agent", login, stdin=password + "\n")

    def export(self) -> str:
        return self.run("export", "--format", "json")

    def start(self, timeout: float = 30.0, *, die_with_parent: bool = False) -> LocalHub:
        """Serve; with `die_with_parent` the hub also stops when this process is killed."""
        output = None if not self.quiet else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [*self.command, "serve", "--db", self.db, "--listen", f"127.0.0.1:{self.port}"]
            + (["--tls-cert", str(self.tls[0]), "--tls-key", str(self.tls[1])] if self.tls else []),
            stdout=output,
            stderr=output,
            start_new_session=True,
            preexec_fn=terminate_with_parent if die_with_parent else None,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LocalHubError(f"totem-hub serve exited with status {self.process.returncode}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise LocalHubError(f"totem-hub serve did not listen on port {self.port} in time")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> LocalHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
