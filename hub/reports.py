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
    """One consultation's count. A consultation the town hall issued codes for is a vote:
    only sealed ballots count, one per code. Any other is an opinion poll: every answer
    counts, and nothing stops a person from answering again in a later visit."""

    consultation: str
    question: str
    choices: list[tuple[str, int, int]]  # (label, answers, percent)
    total: int
    codes: tuple[int, int] | None  # (issued, used) when answers need codes
    refused: int = 0  # ballots refused: code unknown or already used
    set_apart: int = 0  # open answers of a coded consultation (before its codes), not counted

    @property
    def is_vote(self) -> bool:
        return self.codes is not None


def consultation_results(
    vote_rows: list[dict[str, Any]],
    ballot_counts: dict[str, dict[str, int]],
    code_counts: dict[str, tuple[int, int]],
    content: dict[str, Any],
    refusal_counts: dict[str, int] | None = None,
) -> list[ConsultationResult]:
    """Sealed ballots (from the ballot box) for votes, open answers for polls."""
    refusal_counts = refusal_counts or {}
    opinions: dict[str, dict[str, int]] = {}
    for row in vote_rows:
        payload = row["payload"]
        if payload.get("ballot") == "sealed":
            continue  # counted from the ballot box
        per = opinions.setdefault(payload["consultation"], {})
        per[payload["choice"]] = per.get(payload["choice"], 0) + 1
    known = {c["id"]: c for c in content.get("consultations", [])}
    results = []
    everything = set(opinions) | set(ballot_counts) | set(known) | set(code_counts)
    for cid in sorted(everything):
        coded = cid in code_counts
        per = ballot_counts.get(cid, {}) if coded else opinions.get(cid, {})
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
        results.append(
            ConsultationResult(
                cid,
                question,
                choices,
                total,
                code_counts.get(cid),
                refused=refusal_counts.get(cid, 0),
                set_apart=sum(opinions.get(cid, {}).values()) if coded else 0,
            )
        )
    return results


@dataclass
class KioskStatus:
    kiosk_id: str
    last_seen: int | None
    version: str | None
    uptime_s: int | None
    outbox_depth: int | None
    alerts: list[str]
    update: str | None = None  # the kiosk's update state, in French


# A kiosk's update states (appliance/update/agent.py), as agents read them.
UPDATE_STATES = {
    "downloading": "téléchargement de la version {offered}",
    "downloaded": "version {offered} téléchargée, en attente d'installation",
    "installing": "installation de la version {offered}",
    "installed": "version {offered} installée, en attente de redémarrage",
    "refused": "version {offered} refusée",
    "failed": "mise à jour vers la version {offered} échouée",
    "rejected": "version {offered} refusée à l'installation",
    "given-up": "version {offered} abandonnée",
}
# The states an agent must act on (the release will not install as it stands).
UPDATE_ALERTS = ("refused", "failed", "rejected", "given-up")


def update_text(report: dict[str, Any] | None) -> str | None:
    if not report or report.get("state") not in UPDATE_STATES:
        return None
    text = UPDATE_STATES[report["state"]].format(offered=report.get("offered", "?"))
    if report.get("reason"):
        text += f" : {report['reason']}"
    return text


def kiosk_statuses(
    rows: list[Any], now: int, updates: dict[str, dict[str, Any]] | None = None
) -> list[KioskStatus]:
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
        report = (updates or {}).get(row.kiosk_id)
        update = update_text(report)
        if report and report.get("state") in UPDATE_ALERTS:
            alerts.append(f"Mise à jour : {update}")
        if report and report.get("result") == "rolled-back":
            why = report.get("result_reason") or "raison inconnue"
            alerts.append(f"Revenue à la version précédente : {why}")
        statuses.append(
            KioskStatus(
                row.kiosk_id,
                row.last_seen,
                row.version,
                row.uptime_s,
                row.outbox_depth,
                alerts,
                update,
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
