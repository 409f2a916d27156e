"""A technician's visit as the dongle reader tells it to the kiosk (pure).

The root unit that reads a stick (`totem dongle read`, started by udev) writes one small
JSON file, `/run/totem/service/dongle.json`; the kiosk polls it. It says either that a
valid dongle is in (`open`: who, which serial, until when) or that one was refused and
why (`refused`), and the file vanishes when the stick is pulled out. Each insertion has
its own `visit` id, so a menu closed by its timeout does not reopen while the same stick
stays in, and a refusal is shown once.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from appliance.said import Said

OPEN, REFUSED = "open", "refused"
STATE_FILE = "/run/totem/service/dongle.json"
MAX_STATE_BYTES = 4096


@dataclass(frozen=True)
class Visit:
    visit: str  # this insertion's id
    state: str  # OPEN or REFUSED
    device: str  # the block device read, "sda1"
    technician: str = ""
    serial: str = ""
    expires: str = ""  # ISO 8601, UTC
    code: str = ""  # why refused (wire.servicetoken.Refused.code, or "stick")
    reason: Said = Said("", "")

    @property
    def opens(self) -> bool:
        return self.state == OPEN

    def as_json(self) -> dict:
        data = asdict(self)
        data["reason"] = self.reason.as_json()
        return data


def parse(data: bytes) -> Visit | None:
    """The visit in the state file's bytes; None for anything else (no dongle then)."""
    if len(data) > MAX_STATE_BYTES:
        return None
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(raw, dict) or raw.get("state") not in (OPEN, REFUSED):
        return None
    texts = {k: raw.get(k, "") for k in ("visit", "state", "device", "technician", "serial")}
    texts |= {k: raw.get(k, "") for k in ("expires", "code")}
    if not all(isinstance(v, str) for v in texts.values()) or not texts["visit"]:
        return None
    return Visit(**texts, reason=Said.from_json(raw.get("reason")))


def encode(visit: Visit) -> bytes:
    return (json.dumps(visit.as_json(), ensure_ascii=False, sort_keys=True) + "\n").encode()
