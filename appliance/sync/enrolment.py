"""What the kiosk keeps from its enrolment: its id at the hub and the pinned content key.

`data_dir/enrolment.json` = `{"hub_url", "kiosk_id", "content_key", "enrolled_at"}`,
written atomically so a power cut leaves the old file or the new one.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from appliance.durable import write_atomically

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
