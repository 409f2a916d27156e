"""Telling systemd how the kiosk is doing: READY=1, WATCHDOG=1, STATUS=.

The protocol is one AF_UNIX datagram to the socket named in $NOTIFY_SOCKET (a path, or
an abstract socket written with a leading "@"). It is small enough that the image does
not need python3-systemd for it. Outside systemd there is no socket and every call is a
no-op, so the same code runs on a desktop and in tests.
"""

from __future__ import annotations

import os
import socket


class Notifier:
    """Sends sd_notify messages; silent when not started by systemd."""

    def __init__(self, environ: dict[str, str] | None = None):
        environ = os.environ if environ is None else environ
        self._address = _socket_address(environ.get("NOTIFY_SOCKET", ""))
        self._socket: socket.socket | None = None
        self.watchdog_interval = _watchdog_interval(environ)

    @property
    def enabled(self) -> bool:
        return self._address is not None

    def notify(self, **fields: str | int) -> bool:
        """Send `KEY=value` lines (`notify(READY=1, STATUS="…")`); False if not delivered."""
        if self._address is None:
            return False
        message = "\n".join(f"{key}={value}" for key, value in fields.items())
        try:
            if self._socket is None:
                kind = socket.SOCK_DGRAM | socket.SOCK_CLOEXEC
                self._socket = socket.socket(socket.AF_UNIX, kind)
            self._socket.sendto(message.encode("utf-8"), self._address)
        except OSError:
            # systemd gone or socket full: the kiosk must keep serving citizens anyway
            return False
        return True

    def ready(self, status: str | None = None) -> bool:
        return self.notify(READY=1, **({"STATUS": status} if status else {}))

    def watchdog(self) -> bool:
        return self.notify(WATCHDOG=1)

    def status(self, text: str) -> bool:
        return self.notify(STATUS=text)

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def _socket_address(value: str) -> str | bytes | None:
    if not value:
        return None
    if value.startswith("@"):
        return b"\0" + value[1:].encode("utf-8")  # Linux abstract namespace
    if value.startswith("/"):
        return value
    return None


def _watchdog_interval(environ: dict[str, str]) -> float | None:
    """Seconds between WATCHDOG=1 pings (half of WatchdogSec), None when not asked for."""
    try:
        usec = int(environ.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    pid = environ.get("WATCHDOG_PID")
    if usec <= 0 or (pid and pid != str(os.getpid())):
        return None
    return usec / 2_000_000
