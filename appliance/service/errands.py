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

# Each errand's request (in data_dir/service; its path unit watches that name) and answer
# (in /run/totem/service), named here once: the kiosk reads these names without loading
# the modules that do the errands (RAUC's client, the USB policy).
EXPORT_REQUEST, EXPORT_RESULT = "export-requested", "export.json"
INSTALL_REQUEST, INSTALL_RESULT = "update-requested", "install.json"
PANEL_REQUEST, PANEL_RESULT = "panel-requested", "panel.json"

MAX_ANSWER_BYTES = 16384


def ask(data_dir: Path, request: str, visit: str, **fields: str) -> None:
    """The kiosk's side: ask for `request` in `visit` (on its stick: `device`)."""
    path = Path(data_dir) / audit.AUDIT_DIR / request
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps({**fields, "visit": visit}).encode())


def take_request(data_dir: Path, request: str) -> dict[str, str]:
    """Root's side: the pending request (removed first: asked once, done once), with its
    `visit`. ValueError, saying why, for none or a malformed one."""
    pending = Path(data_dir) / audit.AUDIT_DIR / request
    try:
        with open(pending, "rb") as file:
            asked = json.loads(file.read(MAX_ANSWER_BYTES).decode("utf-8"))
        if not isinstance(asked, dict) or not all(isinstance(v, str) for v in asked.values()):
            raise ValueError("not a request")
        if not asked.get("visit"):
            raise ValueError("no visit named")
        return asked
    except (OSError, ValueError) as error:
        raise ValueError(str(error)) from None
    finally:
        pending.unlink(missing_ok=True)


def take(data_dir: Path, request: str) -> tuple[str, Path]:
    """The pending request's visit and stick (see take_request)."""
    from appliance.service.dongle import device_path

    asked = take_request(data_dir, request)
    try:
        return asked["visit"], device_path(asked["device"])
    except KeyError as error:
        raise ValueError(f"no {error} named") from None


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
