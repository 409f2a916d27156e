"""`make run` stops as a whole: however the launcher goes (kill of its process group, or
kill -9 of the launcher alone), the local hub, the sync and the kiosk go with it and the
next `make run` finds its port free."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from waiting import wait_until

from demo.launcher import port_in_use

PORT = 8750  # the embedded default's hub


def demo_processes(data_dir) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as stream:
                command = stream.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(data_dir) in command:
            found.append(int(entry))
    return found


def hub_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def demo(tmp_path):
    if port_in_use(PORT):
        pytest.skip(f"port {PORT} is taken on this machine")
    data_dir = tmp_path / "run-data"
    launcher = subprocess.Popen(
        [sys.executable, "-m", "demo", "--data-dir", str(data_dir), "--video", "dummy"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until(hub_answers, "the demo hub", 60)
        wait_until(lambda: len(demo_processes(data_dir)) >= 4, "launcher, hub, sync, kiosk", 60)
        yield launcher, data_dir
    finally:
        for pid in demo_processes(data_dir):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        launcher.wait(10)


@pytest.mark.parametrize("how", ["term-the-process-group", "kill-9-the-launcher"])
def test_every_way_of_stopping_the_demo_stops_all_three(demo, how):
    launcher, data_dir = demo
    if how == "term-the-process-group":
        os.killpg(launcher.pid, signal.SIGTERM)
    else:
        launcher.kill()
    launcher.wait(30)
    wait_until(lambda: demo_processes(data_dir) == [], "every demo process to stop", 30)
    wait_until(lambda: not port_in_use(PORT), "the hub's port to be free", 30)
    time.sleep(0.5)
    assert not hub_answers()
