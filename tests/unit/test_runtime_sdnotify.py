"""sd_notify over a real AF_UNIX datagram socket, as systemd would listen on it."""

from __future__ import annotations

import os
import socket

from appliance.runtime.sdnotify import Notifier


def _listener(address):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(address)
    sock.settimeout(5)
    return sock


def test_ready_and_status_reach_a_socket_path(tmp_path):
    path = str(tmp_path / "notify")
    with _listener(path) as systemd:
        notifier = Notifier({"NOTIFY_SOCKET": path})
        assert notifier.ready("screen attract")
        assert systemd.recv(4096) == b"READY=1\nSTATUS=screen attract"
        assert notifier.watchdog()
        assert systemd.recv(4096) == b"WATCHDOG=1"
        notifier.close()


def test_abstract_socket_names_start_with_an_at_sign():
    name = f"totem-test-{os.getpid()}"
    with _listener(b"\0" + name.encode()) as systemd:
        notifier = Notifier({"NOTIFY_SOCKET": "@" + name})
        assert notifier.status("out of service: E-CFG")
        assert systemd.recv(4096) == b"STATUS=out of service: E-CFG"


def test_outside_systemd_every_call_is_a_quiet_no_op():
    notifier = Notifier({})
    assert not notifier.enabled
    assert notifier.ready() is False
    assert notifier.watchdog_interval is None


def test_a_vanished_systemd_socket_does_not_raise(tmp_path):
    notifier = Notifier({"NOTIFY_SOCKET": str(tmp_path / "gone")})
    assert notifier.watchdog() is False


def test_watchdog_pings_at_half_the_watchdog_period():
    notifier = Notifier({"WATCHDOG_USEC": "10000000", "WATCHDOG_PID": str(os.getpid())})
    assert notifier.watchdog_interval == 5.0


def test_watchdog_meant_for_another_process_is_ignored():
    notifier = Notifier({"WATCHDOG_USEC": "10000000", "WATCHDOG_PID": "1"})
    assert notifier.watchdog_interval is None
