"""Watchdog: a hardware watchdog device, and systemd feeding it (RuntimeWatchdogSec).

With both, a hung kernel or PID 1 reboots the totem instead of freezing in the lobby.
"""

from __future__ import annotations

import re

from appliance.hwcheck.context import CheckContext
from appliance.hwcheck.result import CheckResult, ok, warn

CONFIG_DIRS = (
    "usr/lib/systemd/system.conf.d",
    "usr/local/lib/systemd/system.conf.d",
    "etc/systemd/system.conf.d",
    "run/systemd/system.conf.d",
)
UNITS = {"ms": 0.001, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600}


def parse_timespan(value: str) -> float | None:
    """systemd time span ("30s", "2min", "1min 30s", "10"); None for off/default."""
    value = value.strip().lower()
    if value in ("", "off", "0", "default", "infinity"):
        return None
    total = 0.0
    for number, unit in re.findall(r"(\d+(?:\.\d+)?)\s*([a-z]*)", value):
        total += float(number) * UNITS.get(unit or "s", 1)
    return total or None


def runtime_watchdog_setting(files: list[str]) -> str | None:
    """The last RuntimeWatchdogSec= in [Manager] across the files, in systemd's order."""
    setting = None
    for text in files:
        section = None
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("["):
                section = line
            elif section == "[Manager]" and line.startswith("RuntimeWatchdogSec="):
                setting = line.partition("=")[2]
    return setting


def evaluate_watchdog(devices: list[str], runtime_sec: float | None) -> CheckResult:
    details = {"devices": devices, "runtime_watchdog_sec": runtime_sec}
    if not devices:
        return warn(
            "watchdog",
            "W-WATCHDOG",
            "Pas de chien de garde matériel.",
            "No hardware watchdog.",
            **details,
        )
    if runtime_sec is None:
        return warn(
            "watchdog",
            "W-WATCHDOG",
            "Chien de garde présent mais non utilisé par systemd.",
            "Watchdog present but not used by systemd (RuntimeWatchdogSec unset).",
            **details,
        )
    return ok(
        "watchdog",
        f"Chien de garde actif ({runtime_sec:g} s).",
        f"Watchdog armed ({runtime_sec:g} s).",
        **details,
    )


def check_watchdog(ctx: CheckContext) -> CheckResult:
    devices = [p.name for p in ctx.sysroot.glob("sys/class/watchdog/watchdog*")]
    if ctx.sysroot.exists("dev/watchdog") and not devices:
        devices = ["watchdog"]
    files = [ctx.sysroot.read("etc/systemd/system.conf") or ""]
    # drop-ins are applied in file-name order whatever directory they sit in
    drop_ins = {}
    for directory in CONFIG_DIRS:
        for path in ctx.sysroot.glob(f"{directory}/*.conf"):
            drop_ins[path.name] = path
    files += [ctx.sysroot.read(str(drop_ins[name])) or "" for name in sorted(drop_ins)]
    setting = runtime_watchdog_setting(files)
    return evaluate_watchdog(devices, parse_timespan(setting) if setting else None)
