"""The clock check asks the real systemd-timedated over a real D-Bus system bus.

A private bus (dbus-daemon with its own socket) stands where /run/dbus is on a totem;
libsystemd and dbus-python both honour DBUS_SYSTEM_BUS_ADDRESS.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from waiting import poll

REPO = Path(__file__).resolve().parent.parent.parent
TIMEDATED = Path("/usr/lib/systemd/systemd-timedated")
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_type="*"/>
  </policy>
</busconfig>
"""


@pytest.fixture
def system_bus(tmp_path):
    if shutil.which("dbus-daemon") is None or not TIMEDATED.exists():
        pytest.skip("needs dbus-daemon and systemd-timedated (Debian: dbus-daemon, systemd)")
    import dbus

    socket = tmp_path / "system_bus_socket"
    config = tmp_path / "bus.conf"
    config.write_text(BUS_CONFIG.format(socket=socket), encoding="utf-8")
    address = f"unix:path={socket}"
    env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": address}
    bus = subprocess.Popen(
        ["dbus-daemon", "--config-file", str(config), "--nofork"], stderr=subprocess.DEVNULL
    )
    timedated = None
    try:
        poll(socket.exists, 5)
        timedated = subprocess.Popen([str(TIMEDATED)], env=env, stderr=subprocess.DEVNULL)
        connection = dbus.bus.BusConnection(address)
        if not poll(lambda: connection.name_has_owner("org.freedesktop.timedate1"), 5):
            pytest.skip("systemd-timedated did not start on the private bus")
        connection.close()
        yield env
    finally:
        for process in (timedated, bus):
            if process is not None:
                process.terminate()
                process.wait(timeout=10)


def clock_result(env: dict) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "appliance", "check", "--json", "--only", "clock"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env=env,
    )
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout)


def test_the_synchronisation_state_comes_from_timedated(system_bus):
    result = clock_result(system_bus)
    assert isinstance(result["details"]["synchronized"], bool)
    expected = ("ok", None) if result["details"]["synchronized"] else ("warn", "W-CLOCK")
    assert (result["status"], result["code"]) == expected


def test_without_a_system_bus_the_clock_check_skips_and_says_why(tmp_path):
    env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path}/no-bus"}
    result = clock_result(env)
    assert result["status"] == "skip"
    assert "no-bus" in result["message"]["en"]
