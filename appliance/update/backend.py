"""The RAUC custom bootloader backend of the totem, and its start-up step (I/O).

RAUC runs `backend get-primary`, `set-primary NAME`, `get-state NAME`, `set-state NAME
good|bad` (and, from RAUC 1.11, `get-current`); system.conf names this as
`bootloader-custom-backend`. The decisions are bootstate.py's; this module reads and
writes their inputs:

- autoboot.txt on TOTEMCFG (mounted read-only at /run/totem/cfg; made writable only for
  the rewrite). A new file is written beside it, synced, then renamed over it: Linux's FAT
  driver turns a rename onto an existing name into one rewrite of that name's directory
  entry, so a power cut leaves either the old file or the new one. `recover()` at the next
  start finishes or drops a half-done rewrite (a leftover autoboot.new).
- the state file on the data partition (written the same way, on ext4);
- the running slot, from the kernel command line's `rauc.slot=` (each slot's cmdline.txt
  names itself).

`after-boot` runs at each start, before the health check (totem-update-boot.service), and
`pre-install` is RAUC's pre-install handler (it refuses an install during a trial, and a
bundle whose version, RAUC_MF_VERSION, is not newer than the running release).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from appliance.durable import fsync_dir, write_atomically
from appliance.update import autoboot, bootstate, version
from appliance.update.bootstate import BackendError, BootState, Slots
from wire.release import VersionError, newer

AUTOBOOT = "autoboot.txt"
RESULT = "last-result.json"  # the last boot outcome worth telling the hub, beside the state
AUTOBOOT_NEW = "autoboot.new"
TRIAL_FAILURE = "trial-failure.txt"  # written by the health check (trial.py) before it gives up


@dataclass(frozen=True)
class Paths:
    """Where the backend reads and writes; the environment moves them for tests and for
    the QEMU runner's checks on a copy of a card."""

    cfg: Path = Path("/run/totem/cfg")  # TOTEMCFG
    state: Path = Path("/var/lib/totem/update/boot-state.json")  # data partition
    slots: Path = Path("/usr/lib/totem/slots.json")  # rendered from image/layout.py
    cmdline: Path = Path("/proc/cmdline")
    version: Path = version.VERSION_FILE
    offered: str | None = None  # the bundle's version, in RAUC's handler environment

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Paths:
        default = cls()
        return cls(
            Path(env.get("TOTEM_CFG_DIR", default.cfg)),
            Path(env.get("TOTEM_BOOT_STATE", default.state)),
            Path(env.get("TOTEM_SLOTS", default.slots)),
            Path(env.get("TOTEM_CMDLINE", default.cmdline)),
            Path(env.get("TOTEM_VERSION_FILE", default.version)),
            env.get("RAUC_MF_VERSION"),
        )


def read_slots(path: Path) -> Slots:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Slots({str(k): int(v) for k, v in data["boot_partitions"].items()})


def booted_slot(cmdline: Path) -> str:
    for word in cmdline.read_text(encoding="utf-8").split():
        if word.startswith("rauc.slot="):
            return word.removeprefix("rauc.slot=")
    raise BackendError("the kernel command line names no rauc.slot=: not a totem slot")


def read_state(path: Path) -> BootState:
    try:
        return BootState.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return BootState()
    except (ValueError, UnicodeDecodeError):
        return BootState()  # damaged: see BootState.from_json


def write_state(state: BootState, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, (json.dumps(state.as_json(), sort_keys=True) + "\n").encode())


def read_autoboot(cfg: Path) -> autoboot.Autoboot:
    return autoboot.parse((cfg / AUTOBOOT).read_text(encoding="utf-8"))


def write_autoboot(choice: autoboot.Autoboot, cfg: Path) -> None:
    text = autoboot.render(choice)
    with writable(cfg):
        write_atomically(cfg / AUTOBOOT, text.encode(), temporary=cfg / AUTOBOOT_NEW)


def recover(cfg: Path) -> str | None:
    """Finish or drop a rewrite a power cut interrupted; what was done, or None."""
    leftover = cfg / AUTOBOOT_NEW
    if not leftover.exists():
        return None
    try:
        autoboot.parse(leftover.read_text(encoding="utf-8"))
        complete = True
    except (autoboot.AutobootError, UnicodeDecodeError):
        complete = False  # cut while it was written: the old autoboot.txt still stands
    with writable(cfg):
        if complete:
            os.replace(leftover, cfg / AUTOBOOT)
        else:
            leftover.unlink()
        fsync_dir(cfg)
    return "finished" if complete else "dropped"


def mounted_read_only(directory: Path) -> bool | None:
    """Whether `directory`, a mount point, is mounted read-only; None if it is none."""
    target = str(directory.resolve())
    try:
        lines = Path("/proc/self/mountinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    read_only = None
    for line in lines:  # the last mount on a point is the one seen
        fields = line.split()
        if len(fields) > 5 and fields[4] == target:
            read_only = "ro" in fields[5].split(",")
    return read_only


@contextlib.contextmanager
def writable(directory: Path) -> Iterator[None]:
    """TOTEMCFG is mounted read-only: writable for the time of one rewrite, then back."""
    if not mounted_read_only(directory):
        yield
        return
    subprocess.run(["mount", "-o", "remount,rw", str(directory)], check=True)
    try:
        yield
    finally:
        subprocess.run(["mount", "-o", "remount,ro", str(directory)], check=True)


def run(args: list[str], paths: Paths) -> str:
    """One backend request; what to print. Raises BackendError for a bad request."""
    slots = read_slots(paths.slots)
    command = args[0] if args else ""
    if command == "get-current":
        return slots.check(booted_slot(paths.cmdline))
    if command == "after-boot":
        return after_boot(slots, paths)
    boot = read_autoboot(paths.cfg)
    state = read_state(paths.state)
    if command == "get-primary" and len(args) == 1:
        return bootstate.get_primary(state, boot, slots)
    if command == "get-state" and len(args) == 2:
        return bootstate.get_state(state, boot, slots, args[1])
    if command == "set-state" and len(args) == 3:
        write_state(bootstate.set_state(state, slots, args[1], args[2]), paths.state)
        return ""
    if command == "set-primary" and len(args) == 2:
        booted = booted_slot(paths.cmdline)
        new_state, new_boot = bootstate.set_primary(state, boot, slots, args[1], booted)
        # The state first: a cut between the two leaves a trial recorded whose
        # autoboot.txt still names the old slot everywhere, which after_boot resolves.
        write_state(new_state, paths.state)
        if new_boot != boot:
            write_autoboot(new_boot, paths.cfg)
        if new_boot.default != boot.default:
            record_result(paths, "marked-good", f"slot {booted} confirmed itself")
        return ""
    if command == "pre-install" and len(args) == 1:
        refusal = bootstate.install_refusal(boot, slots, booted_slot(paths.cmdline))
        if refusal is None and paths.offered is not None:
            refusal = older_refusal(paths.offered, version.running(paths.version))
        if refusal:
            raise BackendError(refusal)
        return ""
    raise BackendError(f"unknown request {' '.join(args)!r}")


def older_refusal(offered: str, running: str) -> str | None:
    """A bundle not newer than the running release is refused, whoever installs it (the
    hub's offer is checked before download; a stick's bundle only here)."""
    try:
        if newer(offered, running):
            return None
    except VersionError as error:
        return f"the bundle's version is unreadable: {error}"
    return f"release {offered} is not newer than the running {running}: refused"


def after_boot(slots: Slots, paths: Paths) -> str:
    recovered = recover(paths.cfg)
    boot = read_autoboot(paths.cfg)
    booted = booted_slot(paths.cmdline)
    before = read_state(paths.state)
    state, outcome = bootstate.after_boot(before, boot, slots, booted)
    write_state(state, paths.state)
    failure = paths.state.with_name(TRIAL_FAILURE)
    if outcome == "rolled-back":
        reason = f"slot {before.trying} started on trial and never confirmed itself"
        with contextlib.suppress(OSError):  # the health check said why it gave up
            reason = f"slot {before.trying}: " + failure.read_text(encoding="utf-8")[:600]
        record_result(paths, "rolled-back", reason)
    if outcome != "trial":
        failure.unlink(missing_ok=True)
    parts = [f"autoboot.txt rewrite {recovered}"] if recovered else []
    if outcome:
        parts.append(outcome)
    return "; ".join(parts)


def record_result(paths: Paths, result: str, reason: str) -> None:
    """The last boot outcome, kept beside the boot state for the heartbeat to carry
    (agent.Updater.report): the hub sees updates confirmed and rolled back, and why."""
    at = datetime.now(UTC).isoformat(timespec="seconds")
    record = {"result": result, "reason": reason, "at": at}
    write_atomically(paths.state.with_name(RESULT), json.dumps(record).encode())


def slots_summary(paths: Paths) -> dict[str, object]:
    """The slots as `totem update status` shows them: which runs, which starts next, each
    one's state; {"error": why} on a machine that is not a totem (no slots.json...)."""
    try:
        slots = read_slots(paths.slots)
        boot = read_autoboot(paths.cfg)
        booted = booted_slot(paths.cmdline)
    except FileNotFoundError as error:
        return {"error": f"not a totem's slots: {error.filename} is missing"}
    except (OSError, ValueError, KeyError, BackendError, autoboot.AutobootError) as error:
        return {"error": str(error)}
    state = read_state(paths.state)
    return {
        "booted": booted,
        "normal": slots.name_of(boot.default),
        "next": bootstate.get_primary(state, boot, slots),
        "trying": state.trying,
        "states": {
            name: bootstate.get_state(state, boot, slots, name) for name in slots.partitions
        },
    }


def main(argv: list[str] | None = None) -> int:
    try:
        output = run(sys.argv[1:] if argv is None else argv, Paths.from_env(os.environ))
    except (BackendError, autoboot.AutobootError, OSError, ValueError, KeyError) as error:
        print(f"totem-boot-backend: {error}", file=sys.stderr)
        return 1
    if output:
        print(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
