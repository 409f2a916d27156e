"""The technicians' audit of every kiosk, as the heartbeats bring it (appliance/service/audit.py
writes it on the kiosk): kept once per entry, shown on the Bornes page, newest first.

A kiosk's entries are untrusted input like the rest of its report: each is checked and cut
to the table's sizes; an entry that is not one is skipped, never the whole heartbeat.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from hub.database import reading
from hub.schema import kiosk_audit

MAX_ENTRIES = 200  # per heartbeat; the kiosk sends 50 at most
SHOWN = 8  # entries the Bornes page shows per kiosk
EVENTS = {
    "dongle-accepted": "clé de maintenance acceptée",
    "dongle-refused": "clé de maintenance refusée",
    "dongle-removed": "clé de maintenance retirée",  # from totems of earlier releases
    "service-opened": "menu de maintenance ouvert",
    "service-page": "page consultée",
    "service-closed": "menu de maintenance fermé",
    "service-reboot": "redémarrage demandé",
    "logs-export-asked": "export des journaux demandé",
    "logs-exported": "journaux exportés sur la clé",
    "logs-export-failed": "export des journaux impossible",
    "calibration-applied": "calibrage tactile appliqué",
    "calibration-refused": "calibrage tactile refusé",
    "calibration-undone": "calibrage tactile annulé",
    "panel-accept-asked": "nouvelle dalle tactile demandée",
    "panel-accepted": "nouvelle dalle tactile acceptée",
    "panel-refused": "nouvelle dalle tactile refusée",
    "stick-install-asked": "mise à jour depuis la clé demandée",
    "stick-install-done": "mise à jour installée depuis la clé",
    "stick-install-failed": "mise à jour depuis la clé impossible",
    "service-trial-restart": "redémarrage sur la nouvelle version demandé",
}
DETAIL_FIELDS = ("page", "why", "code", "reason", "device", "folder", "release", "port")


def record(engine: Engine, kiosk_id: str, entries: Any) -> int:
    """Keep the new entries of `entries` (a heartbeat's `audit`); how many were new."""
    if not isinstance(entries, list):
        return 0
    rows = {}
    for entry in entries[:MAX_ENTRIES]:
        row = _row(kiosk_id, entry)
        if row is not None:
            rows[row["seq"]] = row
    if not rows:
        return 0
    with engine.begin() as connection:
        known = set(
            connection.execute(
                select(kiosk_audit.c.seq).where(
                    kiosk_audit.c.kiosk_id == kiosk_id, kiosk_audit.c.seq.in_(list(rows))
                )
            ).scalars()
        )
        new = [row for seq, row in rows.items() if seq not in known]
        if new:
            connection.execute(insert(kiosk_audit), new)
    return len(new)


def _row(kiosk_id: str, entry: Any) -> dict | None:
    if not isinstance(entry, dict):
        return None
    seq, event, at = entry.get("seq"), entry.get("event"), entry.get("at")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq < 2**62:
        return None
    if not isinstance(event, str) or not isinstance(at, str):
        return None
    detail = {k: str(entry[k])[:200] for k in DETAIL_FIELDS if entry.get(k) is not None}
    return {
        "kiosk_id": kiosk_id,
        "seq": seq,
        "at": at[:32],
        "event": event[:32],
        "technician": _text(entry.get("technician"), 80),
        "serial": _text(entry.get("serial"), 64),
        "detail": json.dumps(detail, ensure_ascii=False),
    }


def _text(value: Any, size: int) -> str | None:
    return str(value)[:size] if isinstance(value, str) and value else None


def recent(engine: Engine, shown: int = SHOWN) -> dict[str, list[str]]:
    """Each kiosk's last `shown` entries as agents read them, newest first."""
    with reading(engine) as connection:
        rows = connection.execute(
            select(kiosk_audit).order_by(kiosk_audit.c.kiosk_id, kiosk_audit.c.seq.desc())
        ).all()
    lines: dict[str, list[str]] = {}
    for row in rows:
        kept = lines.setdefault(row.kiosk_id, [])
        if len(kept) < shown:
            kept.append(describe(row))
    return lines


def describe(row: Any) -> str:
    """One entry in French: "2026-12-06 08:12 · Camille (n° 3f9c0a1b) · page consultée : réseau"."""
    detail = json.loads(row.detail or "{}")
    what = EVENTS.get(row.event, row.event)
    extra = detail.get("page") or detail.get("why") or detail.get("reason")
    who = row.technician or "?"
    serial = f" (n° {row.serial})" if row.serial else ""
    moment = row.at.replace("T", " ")[:16]
    return f"{moment} · {who}{serial} · {what}" + (f" : {extra}" if extra else "")
