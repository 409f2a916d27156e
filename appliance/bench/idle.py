"""Idle cost of the real kiosk process: CPU share of one core and resident memory.

Runs `totem run --video dummy` in a subprocess fed by an evemu FIFO that stays silent (a
panel nobody touches), waits for its first frame, then reads its CPU times and resident
set from /proc. This is the loop exactly as it runs on the device, minus the GPU.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from appliance.bench.panel import header
from appliance.runtime.headless import kiosk_command, kiosk_environment

STARTUP_TIMEOUT = 60.0


def measure_idle(seconds: float = 10.0) -> dict[str, float]:
    """{"idle_cpu_percent": …, "rss_mb": …} of a kiosk left alone for `seconds`."""
    with tempfile.TemporaryDirectory(prefix="totem-bench-") as scratch:
        scratch = Path(scratch)
        fifo, a11y = scratch / "panel.fifo", scratch / "a11y.json"
        os.mkfifo(fifo)
        kiosk = subprocess.Popen(
            kiosk_command(fifo, scratch / "data", a11y_out=a11y),
            env=kiosk_environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        writer = None
        try:
            writer = _open_fifo(fifo, kiosk)
            os.write(writer, header().encode())
            _wait_first_frame(a11y, kiosk)
            time.sleep(1.0)  # let start-up work (fonts, first polls) settle
            ticks = os.sysconf("SC_CLK_TCK")
            before, started = _cpu_ticks(kiosk.pid), time.monotonic()
            time.sleep(seconds)
            after, elapsed = _cpu_ticks(kiosk.pid), time.monotonic() - started
            rss_kb = _rss_kb(kiosk.pid)
        finally:
            if writer is not None:
                os.close(writer)
            if kiosk.poll() is None:
                kiosk.send_signal(signal.SIGTERM)
            try:
                kiosk.wait(timeout=10)
            except subprocess.TimeoutExpired:
                kiosk.kill()
                kiosk.wait()
    return {
        "idle_cpu_percent": round(100.0 * (after - before) / ticks / elapsed, 2),
        "idle_seconds": round(elapsed, 1),
        "rss_mb": round(rss_kb / 1024, 1),
    }


def _open_fifo(fifo: Path, kiosk: subprocess.Popen) -> int:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        try:
            return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            _check_alive(kiosk)
            if time.monotonic() > deadline:
                raise RuntimeError("the kiosk did not open its input in time") from None
            time.sleep(0.05)


def _wait_first_frame(a11y: Path, kiosk: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not a11y.exists():
        _check_alive(kiosk)
        if time.monotonic() > deadline:
            raise RuntimeError("the kiosk drew no frame in time")
        time.sleep(0.05)


def _check_alive(kiosk: subprocess.Popen) -> None:
    if kiosk.poll() is not None:
        reason = (kiosk.stderr.read() or "").strip().splitlines()
        raise RuntimeError(f"the kiosk exited early: {reason[-1] if reason else kiosk.returncode}")


def _cpu_ticks(pid: int) -> int:
    """utime + stime of `pid` in clock ticks (/proc/PID/stat fields 14 and 15)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()  # the command name may hold spaces
    return int(fields[11]) + int(fields[12])


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
