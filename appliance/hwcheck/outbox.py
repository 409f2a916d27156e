"""Outbox: how long the oldest unsent submission has waited for the hub."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from appliance.hwcheck.context import CheckContext
from appliance.hwcheck.result import CheckResult, fail, ok, skip, warn

WARN_AGE = timedelta(hours=6)
FAIL_AGE = timedelta(days=3)


def evaluate_outbox(oldest_unsent: datetime | None, unsent: int, now: datetime) -> CheckResult:
    if oldest_unsent is None:
        return ok(
            "outbox",
            "Tout a été transmis à la mairie.",
            "Everything has reached the town hall.",
            unsent=0,
        )
    age = now - oldest_unsent
    hours = max(age.total_seconds() / 3600, 0)
    details = {
        "unsent": unsent,
        "oldest_unsent": oldest_unsent.isoformat(timespec="seconds"),
        "age_hours": round(hours, 1),
    }
    if age >= FAIL_AGE:
        return fail(
            "outbox",
            "E-SYNC",
            f"{unsent} contribution(s) en attente depuis {hours / 24:.0f} jours.",
            f"{unsent} submission(s) waiting for {hours / 24:.0f} days.",
            **details,
        )
    if age >= WARN_AGE:
        return warn(
            "outbox",
            "W-SYNC",
            f"{unsent} contribution(s) en attente depuis {hours:.0f} h.",
            f"{unsent} submission(s) waiting for {hours:.0f} h.",
            **details,
        )
    return ok(
        "outbox",
        f"{unsent} contribution(s) en cours d'envoi.",
        f"{unsent} submission(s) being sent.",
        **details,
    )


def parse_time(value: str) -> datetime:
    when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def check_outbox(ctx: CheckContext) -> CheckResult:
    from appliance.store import Outbox, OutboxError
    from appliance.store.outbox import FILENAME

    data_dir = ctx.local_data_dir()
    if not (data_dir / FILENAME).exists():
        # opening would create it: the check must not write where the UI owns the files
        return skip("outbox", "Pas encore de boîte d'envoi.", "No outbox yet.", path=str(data_dir))
    try:
        with Outbox(data_dir) as outbox:
            oldest, unsent = outbox.oldest_unsent(), outbox.unsent_count()
    except OutboxError as error:
        return fail("outbox", "E-OUTBOX", "Boîte d'envoi illisible.", f"Outbox unreadable: {error}")
    return evaluate_outbox(parse_time(oldest) if oldest else None, unsent, ctx.current_time())
