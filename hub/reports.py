"""What the agents' pages show, computed from plain rows (pure): ratings, votes, kiosk alerts."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from typing import Any

OFFLINE_AFTER_S = 15 * 60  # three missed heartbeats (the kiosk sends one every 5 minutes)
OUTBOX_ALERT = 100


@dataclass
class ServiceRatings:
    service: str
    label: str
    count: int = 0
    total: int = 0
    distribution: list[int] = field(default_factory=lambda: [0] * 5)  # 1..5 stars
    comments: list[str] = field(default_factory=list)

    @property
    def average(self) -> float:
        return self.total / self.count if self.count else 0.0

    def percent(self, stars: int) -> int:
        return round(100 * self.distribution[stars - 1] / self.count) if self.count else 0


def ratings_by_service(rows: list[dict[str, Any]], labels: dict[str, str]) -> list[ServiceRatings]:
    services: dict[str, ServiceRatings] = {}
    for row in rows:
        payload = row["payload"]
        sid = payload["service"]
        entry = services.setdefault(sid, ServiceRatings(sid, labels.get(sid, sid)))
        entry.count += 1
        entry.total += payload["stars"]
        entry.distribution[payload["stars"] - 1] += 1
        if payload.get("comment"):
            entry.comments.append(payload["comment"])
    return sorted(services.values(), key=lambda s: _fold(s.label))


def _fold(text: str) -> str:
    """Sort key that puts "État civil" among the E, as a French reader expects."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass
class ConsultationResult:
    consultation: str
    question: str
    choices: list[tuple[str, int, int]]  # (label, votes, percent)
    total: int
    codes: tuple[int, int] | None  # (issued, used) when votes need codes


def consultation_results(
    vote_rows: list[dict[str, Any]],
    ballot_counts: dict[str, dict[str, int]],
    code_counts: dict[str, tuple[int, int]],
    content: dict[str, Any],
) -> list[ConsultationResult]:
    """Open votes (from submissions) and sealed ballots (from the ballot box), summed."""
    counts: dict[str, dict[str, int]] = {c: dict(v) for c, v in ballot_counts.items()}
    for row in vote_rows:
        payload = row["payload"]
        if payload.get("ballot") == "sealed":
            continue  # counted from the ballot box
        per = counts.setdefault(payload["consultation"], {})
        per[payload["choice"]] = per.get(payload["choice"], 0) + 1
    known = {c["id"]: c for c in content.get("consultations", [])}
    results = []
    for cid in sorted(set(counts) | set(known) | set(code_counts)):
        per = counts.get(cid, {})
        spec = known.get(cid)
        question = spec["question"].get("fr", cid) if spec else cid
        labels = (
            {ch["id"]: ch["label"].get("fr", ch["id"]) for ch in spec["choices"]} if spec else {}
        )
        order = list(labels) + sorted(set(per) - set(labels))
        total = sum(per.values())
        choices = [
            (
                labels.get(ch, ch),
                per.get(ch, 0),
                round(100 * per.get(ch, 0) / total) if total else 0,
            )
            for ch in order
        ]
        results.append(ConsultationResult(cid, question, choices, total, code_counts.get(cid)))
    return results


@dataclass
class KioskStatus:
    kiosk_id: str
    last_seen: int | None
    version: str | None
    uptime_s: int | None
    outbox_depth: int | None
    alerts: list[str]


def kiosk_statuses(rows: list[Any], now: int) -> list[KioskStatus]:
    statuses = []
    for row in rows:
        alerts = []
        if row.last_seen is None:
            alerts.append("Aucun signal de vie depuis l'inscription")
        elif now - row.last_seen > OFFLINE_AFTER_S:
            alerts.append(f"Hors ligne depuis {(now - row.last_seen) // 60} min")
        if row.outbox_depth is not None and row.outbox_depth >= OUTBOX_ALERT:
            alerts.append(f"{row.outbox_depth} contributions en attente d'envoi")
        alerts.extend(_check_alerts(row.checks))
        statuses.append(
            KioskStatus(
                row.kiosk_id, row.last_seen, row.version, row.uptime_s, row.outbox_depth, alerts
            )
        )
    return sorted(statuses, key=lambda s: (not s.alerts, s.kiosk_id))


def _check_alerts(checks_json: str | None) -> list[str]:
    try:
        checks = json.loads(checks_json or "[]")
    except ValueError:
        return []
    alerts = []
    for check in checks if isinstance(checks, list) else []:
        if isinstance(check, dict) and check.get("status") in ("warn", "fail"):
            message = check.get("message")
            text = message.get("fr") if isinstance(message, dict) else None
            level = "Panne" if check["status"] == "fail" else "Attention"
            alerts.append(f"{level} : {text or check.get('name', 'vérification')}")
    return alerts
