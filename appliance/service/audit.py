"""The technicians' audit log, `data_dir/service/audit.jsonl`: one JSON object a line, only
ever appended to (I/O).

Who did what on the totem in service mode, and every dongle refused, with the technician's
id and the token's serial. Each line is written by one `write()` on a file opened with
O_APPEND and synced before the call returns, so two writers (the root unit that reads the
stick, the kiosk that serves the menu) never mix their lines, and a power cut leaves at
worst a torn last line, which the reader skips. Citizens' texts never go here.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from appliance.durable import write_atomically

AUDIT_DIR = "service"
AUDIT_FILE = "audit.jsonl"
SENT_FILE = "audit.sent"  # how many lines the hub has acknowledged (the heartbeat's cursor)
MAX_LINE = 4096  # an entry is a few hundred bytes; a longer one is cut, never refused
BATCH = 50  # entries a heartbeat carries at most


def audit_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / AUDIT_DIR / AUDIT_FILE


def record(data_dir: Path | str, event: str, **details: Any) -> dict[str, Any]:
    """Append one entry (`at`, `event` and `details`) and return it; OSError when the data
    partition cannot take it (the caller says so, the service action still happens)."""
    entry = {"at": datetime.now(UTC).replace(microsecond=0).isoformat(), "event": event}
    entry |= {key: value for key, value in details.items() if value is not None}
    line = json.dumps(entry, ensure_ascii=False, sort_keys=True).encode()[:MAX_LINE]
    path = audit_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)
    try:
        size = os.fstat(descriptor).st_size
        if size and os.pread(descriptor, 1, size - 1) != b"\n":
            line = b"\n" + line  # after a torn last line: never glued to it
        os.write(descriptor, line + b"\n")
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return entry


def entries(data_dir: Path | str, skip: int = 0) -> list[dict[str, Any]]:
    """The entries from line `skip` on, in order, each with its line number `seq` (what the
    hub keeps them by); torn or damaged lines are left out."""
    try:
        raw = audit_path(data_dir).read_bytes()
    except OSError:
        return []
    found = []
    for seq, line in enumerate(raw.split(b"\n")[skip:], start=skip):
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("event"), str):
            found.append(entry | {"seq": seq})
    return found


def unsent(data_dir: Path | str) -> list[dict[str, Any]]:
    """The next entries the hub has not acknowledged (at most BATCH)."""
    return entries(data_dir, _sent(data_dir))[:BATCH]


def mark_sent(data_dir: Path | str, sent: list[dict[str, Any]]) -> None:
    """The hub acknowledged `sent` (a heartbeat it answered): they are not sent again."""
    if sent:
        path = Path(data_dir) / AUDIT_DIR / SENT_FILE
        write_atomically(path, str(sent[-1]["seq"] + 1).encode())


def _sent(data_dir: Path | str) -> int:
    try:
        return max(0, int((Path(data_dir) / AUDIT_DIR / SENT_FILE).read_text("ascii")))
    except (OSError, ValueError):
        return 0  # none yet, or damaged: the hub keeps entries by seq, sending again is safe
