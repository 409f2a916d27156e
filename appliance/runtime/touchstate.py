"""`data_dir/touch.json`: which panel the UI reads and when it last heard from it.

The hardware check (another process, every five minutes) shows this to technicians: a
panel that is present but silent for days is worth a look. Written only when it changed,
so a kiosk nobody touches does not wear its SD card.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FILENAME = "touch.json"


def touch_state(
    device: Any, monotonic_now: float, wall_now: float, health: Any = None
) -> dict[str, Any]:
    """What to publish about `device` (the touch source's, or None when no panel) and, when
    the reader met trouble, its `health` (faults dropped and resynced, or why it stopped)."""
    if device is None:
        state = {"device": None, "path": None, "last_event_at": None}
    else:
        last = getattr(device, "last_event_time", None)
        last_at = None
        if last is not None:
            last_at = _iso(wall_now - (monotonic_now - last))
        state = {"device": device.name, "path": device.path, "last_event_at": last_at}
    if health is not None and (health.faults or health.error):
        state["reader"] = {
            "faults": health.faults,
            "last_fault": health.last_fault,
            "last_fault_at": _iso(health.last_fault_at) if health.last_fault_at else None,
            "error": health.error,
        }
    return state


def _iso(wall: float) -> str:
    return datetime.fromtimestamp(wall, UTC).isoformat(timespec="seconds")


class TouchStatePublisher:
    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / FILENAME
        self._written: dict | None = None

    def publish(self, device: Any, health: Any = None) -> bool:
        """Rewrite the file if the state changed; True when written."""
        state = touch_state(device, time.monotonic(), time.time(), health)
        if state == self._written:
            return False
        temporary = self.path.with_name(f".{FILENAME}.tmp")
        try:
            temporary.write_text(json.dumps(state), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            return False  # a full or read-only data partition is reported by hwcheck itself
        self._written = state
        return True
