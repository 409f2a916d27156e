"""The kiosk's side of a site visit: start the browser under cage, hear it, end it, and
leave nothing behind.

The browser (sites/browser.py) runs under Debian's python3 inside cage, the Wayland kiosk
compositor, which takes the screen and the touch panel once the kiosk has let them go.
Each visit gets a fresh profile directory on tmpfs (the runtime directory), given to the
browser as its HOME and XDG directories and deleted when the visit ends, however it ends.
`run_as` is a command prefix the browser runs under (the tests' namespace and user; on the
totem the kiosk is already the user the browser runs as).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

CAGE = "/usr/bin/cage"
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, with python3-gi: the kiosk's venv has no GTK
REPO = Path(__file__).resolve().parents[2]
ENDINGS = ("home", "closed", "crashed")  # the browser's last words
CLOSE_GRACE = 2.0  # seconds the browser has to go after "close", then it is killed
# The kiosk's own environment the compositor and the engine need: how they reach the screen
# and seat, and WebKit's settings (set by the kiosk's unit on the totem, which says why; a
# developer's desktop for `make run`). Also every WLR_* (cage), GSK_* (GTK) and WEBKIT_*
# variable.
PASSED_ON = ("LIBSEAT_BACKEND", "SEATD_SOCK", "DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY")
PREFIXES_PASSED_ON = ("WLR_", "GSK_", "WEBKIT_")


class SiteVisit:
    """One running visit. `events()` yields what the browser says; `close()` ends it."""

    def __init__(
        self,
        url: str,
        allow: Iterable[str] = (),
        name: str = "",
        ca_bundle: str = "",
        runtime_dir: Path | None = None,
        run_as: Sequence[str] = (),
        extra_env: dict[str, str] | None = None,
        rotation: int = 0,
    ):
        base = runtime_dir or Path(os.environ.get("XDG_RUNTIME_DIR", tempfile.gettempdir()))
        # Named here, made by the browser (as the user it runs as), deleted here.
        self.profile = base / f"totem-visit-{secrets.token_hex(6)}"
        command = [
            *run_as,
            CAGE,
            "-d",  # no window decorations: the page and the kiosk's bar fill the screen
            "--",
            SYSTEM_PYTHON,
            "-m",
            "appliance.sites.browser",
            "--url",
            url,
            "--name",
            name,
            "--profile",
            str(self.profile),
        ]
        for entry in allow:
            command += ["--allow", entry]
        if ca_bundle:
            command += ["--ca-bundle", ca_bundle]
        if rotation:
            command += ["--rotation", str(rotation)]
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None,  # the kiosk's own: the journal on the totem
            env=_environment(self.profile, base, extra_env or {}),
            text=True,
            start_new_session=True,  # cage, the browser, WebKit's processes: killed together
        )
        # Lines are cut here from what os.read() returns: a buffered readline() would keep
        # a second line the select() then never announces.
        self._pending = b""
        self._eof = False
        self._ended = False
        self.outcome = "ended"  # how the browser said the visit ended, once it has

    @property
    def age(self) -> float:
        return time.monotonic() - self.started

    def fileno(self) -> int:
        """Readable when the browser has said something (for the kiosk's select())."""
        return self.process.stdout.fileno()

    def next_event(self, timeout: float) -> dict | None:
        """The browser's next event, or None when it said nothing within `timeout` seconds;
        `{"event": "ended", "status": N}` once, when it has ended."""
        deadline = time.monotonic() + timeout
        while not self._ended:
            line = self._line()
            if line is not None:
                event = _event(line)
                if event is None:
                    continue  # not one of its lines: a library talking on stdout
                log.info("site visit: %s", event)
                if event.get("event") in ENDINGS:
                    self.outcome = event["event"]
                return event
            if self._eof:
                self._ended = True
                return {"event": "ended", "status": self.process.wait()}
            left = max(0.0, deadline - time.monotonic())
            if not select.select([self.fileno()], [], [], left)[0]:
                return None
            chunk = os.read(self.fileno(), 65536)
            self._pending += chunk
            self._eof = not chunk
        return None

    def _line(self) -> bytes | None:
        if b"\n" not in self._pending:
            return None
        line, self._pending = self._pending.split(b"\n", 1)
        return line

    def tell(self, order: str) -> None:
        """`countdown N`, `continue` or `close`; a browser already gone is not an error."""
        try:
            self.process.stdin.write(order + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def close(self) -> str:
        """End the visit (if the browser has not ended it), delete its profile, and say how
        it ended: "home", "closed", "crashed", or "killed" when it would not go.
        (cage's exit status says nothing of its client's: the browser's last word does.)"""
        self.tell("close")
        try:
            self.process.wait(timeout=CLOSE_GRACE)
        except subprocess.TimeoutExpired:
            self.outcome = "killed"
        # Whatever of the visit is left (a WebKit process cage did not take with it) goes.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        while (event := self.next_event(CLOSE_GRACE)) is not None and event["event"] != "ended":
            pass  # its last words, written before it went
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except BrokenPipeError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)
        return self.outcome


def _event(line: bytes) -> dict | None:
    try:
        event = json.loads(line)
    except ValueError:
        return None
    return event if isinstance(event, dict) and "event" in event else None


def _environment(profile: Path, runtime_dir: Path, extra: dict[str, str]) -> dict[str, str]:
    passed = {name: os.environ[name] for name in PASSED_ON if name in os.environ}
    passed |= {k: v for k, v in os.environ.items() if k.startswith(PREFIXES_PASSED_ON)}
    return {
        **passed,
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(REPO),
        "HOME": str(profile),
        "XDG_CACHE_HOME": str(profile / "cache"),
        "XDG_CONFIG_HOME": str(profile / "config"),
        "XDG_DATA_HOME": str(profile / "data"),
        "XDG_STATE_HOME": str(profile / "state"),
        "XDG_RUNTIME_DIR": str(runtime_dir),
        "LANG": "fr_FR.UTF-8",
        # No session bus, no accessibility bus, no desktop portals on a totem.
        "DBUS_SESSION_BUS_ADDRESS": "disabled:",
        "GTK_A11Y": "none",
        "NO_AT_BRIDGE": "1",
        "GTK_USE_PORTAL": "0",
        **extra,
    }
