"""What the kiosk keeps from its enrolment: its id at the hub and the pinned content key.

`data_dir/enrolment.json` = `{"hub_url", "kiosk_id", "content_key", "enrolled_at"}`,
written atomically so a power cut leaves the old file or the new one.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

FILENAME = "enrolment.json"


@dataclass(frozen=True)
class Enrolment:
    hub_url: str
    kiosk_id: str
    content_key: str
    enrolled_at: str


def load_enrolment(data_dir: str | Path) -> Enrolment | None:
    """The saved enrolment, or None when the kiosk has not enrolled (or the file is damaged)."""
    try:
        data = json.loads((Path(data_dir) / FILENAME).read_text(encoding="utf-8"))
        return Enrolment(**{key: str(data[key]) for key in Enrolment.__dataclass_fields__})
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_enrolment(data_dir: str | Path, enrolment: Enrolment) -> None:
    write_atomically(Path(data_dir) / FILENAME, json.dumps(asdict(enrolment), indent=2).encode())


def write_atomically(path: Path, data: bytes) -> None:
    """Temp file + fsync + rename + fsync of the directory: old or new, never a mix."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temp, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
