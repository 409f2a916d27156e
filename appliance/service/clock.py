"""The last known good time, kept on the data partition, under which the clock never goes.

A Pi 4 has no battery clock: it starts at the last time systemd saved, or at the image's
build date, until NTP answers. Every time a trusted source gives the time (the hub's answer
to a signed request, over TLS), the floor is raised to it; a dongle's expiry is checked
against max(system clock, floor), so setting the clock back revives nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from appliance.durable import write_atomically

FLOOR_FILE = "clock-floor"


def floor(data_dir: Path) -> datetime | None:
    try:
        text = (Path(data_dir) / FLOOR_FILE).read_text(encoding="ascii").strip()
        return datetime.fromisoformat(text).astimezone(UTC)
    except (OSError, ValueError, UnicodeDecodeError):
        return None  # none yet, or damaged: the system clock alone


def trusted_now(data_dir: Path, system_now: datetime | None = None) -> datetime:
    now = system_now or datetime.now(UTC)
    known = floor(data_dir)
    return max(now, known) if known else now


def raise_floor(data_dir: Path, moment: datetime) -> bool:
    """Move the floor up to `moment` (never down); True when it moved."""
    moment = moment.astimezone(UTC).replace(microsecond=0)
    known = floor(data_dir)
    if known is not None and moment <= known:
        return False
    write_atomically(Path(data_dir) / FLOOR_FILE, (moment.isoformat() + "\n").encode())
    return True


def from_http_date(value: str | None) -> datetime | None:
    """A `Date:` header as a time, or None when absent or unreadable."""
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo else None
