"""What the kiosk asks root's units to do for a technician, and their answers (I/O).

The kiosk runs as `totem`, without the stick's device or RAUC's ear: for the logs export
and the install from the stick it writes a small request in `data_dir/service` naming
the visit and the stick's device; a path unit starts the command that does it, which
takes the request (once, whatever follows) and writes its answer beside the dongle's
verdict in /run/totem/service, where the kiosk polls it. An answer names its visit: one
left from an earlier stick is never shown to the next technician.
"""

from __future__ import annotations

import json
from pathlib import Path

from appliance.durable import write_atomically
from appliance.service import audit
from appliance.service.dongle import device_path

MAX_ANSWER_BYTES = 16384


def ask(data_dir: Path, request: str, visit: str, device: str) -> None:
    """The kiosk's side: ask for `request` on the stick of `visit`."""
    path = Path(data_dir) / audit.AUDIT_DIR / request
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps({"visit": visit, "device": device}).encode())


def take(data_dir: Path, request: str) -> tuple[str, Path]:
    """Root's side: the pending request's visit and stick (removed first: asked once, done
    once). ValueError, saying why, for none or a malformed one."""
    pending = Path(data_dir) / audit.AUDIT_DIR / request
    try:
        asked = json.loads(pending.read_text(encoding="utf-8"))
        return str(asked["visit"]), device_path(str(asked["device"]))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ValueError(str(error)) from None
    finally:
        pending.unlink(missing_ok=True)


def answer(path: Path, outcome: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(outcome, ensure_ascii=False).encode())


def read_answer(path: Path, visit: str) -> dict | None:
    """The answer for `visit`, or None (none yet, another visit's, unreadable)."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_ANSWER_BYTES + 1)
        result = json.loads(data.decode("utf-8")) if len(data) <= MAX_ANSWER_BYTES else None
    except (OSError, ValueError):
        return None
    return result if isinstance(result, dict) and result.get("visit") == visit else None
