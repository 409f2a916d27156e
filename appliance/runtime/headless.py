"""`totem run` as a child process without a screen, its touches read from an evemu file or
FIFO: how the idle benchmark and the end-to-end tests start the real kiosk."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# The caller's own service manager must not hear the child kiosk's READY=1 and pings.
SYSTEMD_VARIABLES = ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID")


def kiosk_command(
    evemu: Path,
    data_dir: Path,
    *,
    a11y_out: Path | None = None,
    config: Path | None = None,
    service_state: Path | None = None,
    browser_prefix: str | None = None,
) -> list[str]:
    """The command line of a kiosk drawing on SDL's dummy driver, touched through `evemu`,
    hearing of service dongles from `service_state` (default: the totem's own)."""
    command = [sys.executable, "-m", "appliance", "run", "--video", "dummy"]
    command += ["--input", f"evemu:{evemu}", "--data-dir", str(data_dir)]
    if a11y_out is not None:
        command += ["--a11y-out", str(a11y_out)]
    if config is not None:
        command += ["--config", str(config)]
    if service_state is not None:
        command += ["--service-state", str(service_state)]
    if browser_prefix is not None:
        command += ["--browser-prefix", browser_prefix]
    return command


def kiosk_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment for the child: dummy video, no systemd variables."""
    inherited = {k: v for k, v in os.environ.items() if k not in SYSTEMD_VARIABLES}
    return {**inherited, "SDL_VIDEODRIVER": "dummy", **(extra or {})}
