"""The outcome of the last `totem netpolicy apply`, for the hardware check and the UI.

`/run/totem/netpolicy.json` holds `{"state": "applied"|"fail-closed", "reason": str|null,
"at": ISO-8601 UTC}`. A totem whose policy failed closed cannot reach its hub: the UI's
out-of-service check reads the reason here and shows it to the technician.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

STATE_PATH = Path("/run/totem/netpolicy.json")
APPLIED, FAIL_CLOSED = "applied", "fail-closed"


def write_state(state: str, reason: str | None = None, path: Path | None = None) -> dict:
    """Atomically record `state` (and why, when failed closed); returns what was written."""
    path = Path(path) if path is not None else STATE_PATH
    record = {
        "state": state,
        "reason": reason,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    write_atomically(path, json.dumps(record) + "\n")
    return record


def read_state(path: Path | str | None = None) -> dict[str, Any] | None:
    """The last recorded outcome, or None when the policy was never applied (or the file is bad)."""
    path = Path(path) if path is not None else STATE_PATH
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("state") not in (APPLIED, FAIL_CLOSED):
        return None
    return record


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` by `text` so readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
