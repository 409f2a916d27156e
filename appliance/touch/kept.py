"""The touch calibration a technician made in the service menu, kept on the data partition
(`data_dir/touch/calibration.json`) so it outlives restarts and updates (I/O).

It replaces `[touch] matrix` of totem.toml while it is there; undoing it in the menu
removes the file and the configured matrix applies again. A damaged or unusable file is
ignored (the configured matrix applies), never a reason to lose touch.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from appliance.durable import write_atomically
from appliance.touch.transform import Matrix, as_matrix

KEPT = Path("touch") / "calibration.json"


def load(data_dir: Path) -> Matrix | None:
    try:
        kept = json.loads((Path(data_dir) / KEPT).read_text(encoding="utf-8"))
        return as_matrix(kept["matrix"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def in_force(data_dir: Path, configured) -> Matrix:
    """The calibration the totem applies: the technician's when kept, else `[touch] matrix`."""
    return load(data_dir) or as_matrix(configured)


def save(data_dir: Path, matrix: Matrix, technician: str) -> None:
    record = {
        "matrix": [round(value, 6) for value in matrix],
        "by": technician,
        "at": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
    path = Path(data_dir) / KEPT
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(record).encode())


def remove(data_dir: Path) -> bool:
    try:
        (Path(data_dir) / KEPT).unlink()
    except FileNotFoundError:
        return False
    return True
