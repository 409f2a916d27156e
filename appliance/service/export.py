"""Logs export to the technician's stick (I/O): what a technician takes away to diagnose a
totem — the journal of the totem's units, the hardware report, the update status and the
audit log — never a citizen's text (the outbox and the content are not exported, and the
units log no text a citizen typed).

The kiosk cannot write to a stick: it asks (service/errands.py) and
`totem-service-export.path` runs `totem dongle export`, which writes the files with mtools
(no mount) into a folder `TOTEM-LOGS/<kiosk>-<time>` on the stick, then the outcome for
the kiosk (`/run/totem/service/export.json`) and the audit log.
"""

from __future__ import annotations

import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from appliance.said import Said
from appliance.service import audit, errands
from appliance.service.stick import MTOOLS_ENV

REQUEST = errands.EXPORT_REQUEST
RESULT = errands.EXPORT_RESULT
JOURNAL_LINES = 20000  # the journal's tail: a few MB at most
JOURNAL_UNITS = ("totem-*", "rauc*", "systemd-networkd*", "dnsmasq*")
COPIED = ("hwcheck.json", "service/audit.jsonl")  # relative to data_dir


def run(data_dir: Path, result_file: Path, kiosk_id: str, journal: list[str] | None = None) -> dict:
    """Root's side: carry out the pending request, if any; the outcome written and returned."""
    try:
        visit, device = errands.take(data_dir, REQUEST)
    except ValueError as error:
        said = Said(f"no export asked ({error})", f"aucun export demandé ({error})")
        return {"ok": False, "reason": said.as_json()}
    folder = f"TOTEM-LOGS/{kiosk_id}-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    try:
        files = _write(device, folder, _gather(Path(data_dir), journal))
        outcome = {"visit": visit, "ok": True, "folder": folder, "files": files}
        audit.record(data_dir, "logs-exported", visit=visit, device=device.name, folder=folder)
    except ExportError as error:
        outcome = {"visit": visit, "ok": False, "reason": error.said.as_json()}
        audit.record(data_dir, "logs-export-failed", visit=visit, device=device.name,
                     reason=error.said.en)  # fmt: skip
    errands.answer(result_file, outcome)
    return outcome


class ExportError(Exception):
    def __init__(self, said: Said):
        super().__init__(said.en)
        self.said = said


def _gather(data_dir: Path, journal: list[str] | None) -> dict[str, bytes]:
    files = {}
    for relative in COPIED:
        try:
            files[Path(relative).name] = (data_dir / relative).read_bytes()
        except OSError as error:
            files[Path(relative).name + ".missing"] = f"{error}\n".encode()
    files["journal.txt"] = _journal(journal)
    files["update-status.json"] = _command(["totem", "update", "status", "--json"])
    return files


def _journal(command: list[str] | None) -> bytes:
    units = [arg for unit in JOURNAL_UNITS for arg in ("-u", unit)]
    return _command(
        command
        or ["journalctl", "-b", *units, "-o", "short-iso", "-n", str(JOURNAL_LINES), "--no-pager"]
    )


def _command(command: list[str]) -> bytes:
    """A command's output for the export; its failure is written down, not fatal."""
    try:
        done = subprocess.run(command, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{' '.join(command)}: {error}\n".encode()
    return done.stdout + (done.stderr if done.returncode else b"")


def _write(device: Path, folder: str, files: dict[str, bytes]) -> list[str]:
    env = MTOOLS_ENV
    with tempfile.TemporaryDirectory(prefix="totem-export-") as scratch:
        path = ""
        for part in folder.split("/"):
            path += f"/{part}"
            _mtools(["mmd", "-D", "s", "-i", str(device), f"::{path}"], env, exists_ok=True)
        for name, data in files.items():
            local = Path(scratch) / name
            local.write_bytes(data)
            _mtools(["mcopy", "-o", "-i", str(device), str(local), f"::{folder}/{name}"], env)
    return sorted(files)


def _mtools(command: list[str], env: dict, exists_ok: bool = False) -> None:
    try:
        done = subprocess.run(command, capture_output=True, env=env, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ExportError(Said(f"the stick cannot be written: {error}",
                               f"la clé ne peut pas être écrite : {error}")) from None  # fmt: skip
    if done.returncode != 0 and not exists_ok:
        why = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["?"])[-1]
        raise ExportError(
            Said(f"the stick cannot be written ({why})", f"la clé ne peut pas être écrite ({why})")
        )
