"""A release on trial (I/O): restarting into it, watching its health, keeping or leaving it.

- `totem update restart` (root, totem-update-restart.service, started by a path unit when
  the sync user asks in `update/restart-requested`): restarts with `reboot "0 tryboot"` when
  a slot waits for its trial. The sync user asks only inside the maintenance window, with
  nobody at the screen (window.py); it cannot restart the totem itself.
- `totem update health` (root, totem-update-health.service, at every start): on a trial
  start, waits for health.py's conditions; then RAUC's `mark-good` and `mark-active` keep
  the slot, or the reason is recorded and the totem restarts into the old slot.
- The sync records each heartbeat the hub answered (`update/hub-contact.json`, with the
  boot's id), which is how the health check knows the hub was reached by this release.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

from appliance.config.schema import is_loopback_host
from appliance.durable import write_atomically
from appliance.hwcheck.report import current_boot_id, read_report
from appliance.update import backend, health
from appliance.update.backend import TRIAL_FAILURE

log = logging.getLogger("totem.update")

RESTART_REQUEST = "restart-requested"
# The release a tryboot restart was asked for. A kernel that cannot pass "tryboot" to the Pi
# firmware (Debian's, without the firmware's reboot flag) restarts into the old slot: one
# restart per release, never a loop.
TRYBOOT_ASKED = "tryboot-asked"
HUB_CONTACT = "hub-contact.json"


def update_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "update"


# The sync user's side ---------------------------------------------------------------


def record_hub_contact(data_dir: Path) -> None:
    record = {"boot_id": current_boot_id(), "at": datetime.now(UTC).isoformat(timespec="seconds")}
    directory = update_dir(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    write_atomically(directory / HUB_CONTACT, json.dumps(record).encode())


def _hub_contact(data_dir: Path) -> dict:
    try:
        record = json.loads((update_dir(data_dir) / HUB_CONTACT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def hub_reached(data_dir: Path) -> bool:
    """The hub answered a heartbeat in this start."""
    return _hub_contact(data_dir).get("boot_id") == current_boot_id()


def last_hub_contact(data_dir: Path) -> str | None:
    """When the hub last answered a heartbeat (ISO 8601 UTC), in this start or before."""
    at = _hub_contact(data_dir).get("at")
    return at if isinstance(at, str) else None


def already_asked(data_dir: Path, release: str) -> bool:
    """A tryboot restart for `release` was made in an earlier start, and here we are again
    without a trial. (In this same start the restart is still under way: not yet.)"""
    try:
        asked = json.loads((update_dir(data_dir) / TRYBOOT_ASKED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(asked, dict)
        and asked.get("release") == release
        and asked.get("boot_id") != current_boot_id()
    )


def request_restart(data_dir: Path, release: str) -> None:
    update_dir(data_dir).mkdir(parents=True, exist_ok=True)
    write_atomically(update_dir(data_dir) / RESTART_REQUEST, release.encode())


# Root's side --------------------------------------------------------------------------


def trial_pending(paths: backend.Paths) -> bool:
    """A slot is installed and waits for its tryboot start."""
    summary = backend.slots_summary(paths)
    return "error" not in summary and summary["next"] != summary["booted"]


def on_trial(paths: backend.Paths) -> bool:
    """This start is a slot's trial (not confirmed yet)."""
    summary = backend.slots_summary(paths)
    return "error" not in summary and summary["booted"] != summary["normal"]


def restart(data_dir: Path, paths: backend.Paths) -> str:
    """Act on the sync user's request; what was done."""
    request = update_dir(data_dir) / RESTART_REQUEST
    if not request.exists():
        return "no restart requested"
    asked = request.read_text(encoding="utf-8", errors="replace").strip()[:40]
    request.unlink()  # first: a request is acted on once, whatever follows
    if not trial_pending(paths):
        return f"restart for {asked} requested, but no slot waits for a trial: ignored"
    if already_asked(data_dir, asked):
        return f"already restarted once for {asked} and no trial started: not again"
    record = {"release": asked, "boot_id": current_boot_id()}
    write_atomically(update_dir(data_dir) / TRYBOOT_ASKED, json.dumps(record).encode())
    log.info("restarting into the new slot for its trial (%s)", asked)
    # systemd 257 takes the reboot(2) argument only as an option ("Too many arguments").
    subprocess.run(["systemctl", "reboot", "--reboot-argument=0 tryboot"], check=True)
    return f"restarting into release {asked} on trial"


def observe(config, data_dir: Path) -> health.Observed:
    ui = _unit("totem-ui.service", "ActiveState", "NRestarts")
    report = read_report(data_dir)
    return health.Observed(
        ui_active=ui.get("ActiveState") == "active",
        ui_restarts=int(ui.get("NRestarts") or 0),
        hwcheck_done=report is not None,
        critical=tuple(r.code for r in report.critical_failures) if report else (),
        data_writable=backend.mounted_read_only(Path(data_dir)) is False
        and os.access(data_dir, os.W_OK),
        # The embedded default is a hub on this machine: a totem without its own hub.
        hub_expected=not is_loopback_host(config.hub_host),
        hub_reached=hub_reached(data_dir),
    )


def check(config, data_dir: Path, limit_s: float) -> str:
    """On a trial start (the caller checked `on_trial`): keep the slot or leave it; what
    was done."""
    deadline = time.monotonic() + limit_s
    while True:
        seen = observe(config, data_dir)
        lacking = health.missing(seen)
        if not lacking:
            _rauc("status", "mark-good", "booted")
            _rauc("status", "mark-active", "booted")
            return "healthy: this slot is kept"
        if time.monotonic() >= deadline or health.hopeless(seen):
            break
        time.sleep(2)
    waited = limit_s - max(deadline - time.monotonic(), 0)
    reason = f"health check failed after {waited:.0f} s: " + "; ".join(lacking)
    return leave(data_dir, reason)


def leave(data_dir: Path, reason: str) -> str:
    """Give the trial up: the reason kept for the hub, and a restart, which the firmware
    answers with the previous slot (autoboot.txt never changed). That slot's after-boot
    marks this one bad and reports the rollback with the reason (backend.after_boot);
    RAUC's mark-bad here would end the trial before it is reported. Only on a trial start
    (the caller checked `on_trial`)."""
    log.error("%s; restarting into the previous slot", reason)
    write_atomically(update_dir(data_dir) / TRIAL_FAILURE, reason.encode())
    subprocess.run(["systemctl", "reboot"], check=True)
    return reason


def _rauc(*args: str) -> None:
    done = subprocess.run(["rauc", *args], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise OSError(f"rauc {' '.join(args)}: {done.stderr.strip()[:300]}")


def _unit(unit: str, *props: str) -> dict[str, str]:
    out = subprocess.run(
        ["systemctl", "show", unit, "--property=" + ",".join(props)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
