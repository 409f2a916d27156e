"""Running every check, in the order a technician reads them, without ever raising."""

from __future__ import annotations

from collections.abc import Callable

from appliance.hwcheck import (
    clock,
    display,
    memory,
    network,
    outbox,
    storage,
    thermal,
    touch,
    watchdog,
)
from appliance.hwcheck.context import CheckContext
from appliance.hwcheck.result import CheckResult, skip

CHECKS: tuple[tuple[str, Callable[[CheckContext], CheckResult]], ...] = (
    ("touch", touch.check_touch),
    ("display", display.check_display),
    ("temperature", thermal.check_temperature),
    ("throttling", thermal.check_throttling),
    ("storage.root", storage.check_root),
    ("storage.data", storage.check_data),
    ("storage.errors", storage.check_io_errors),
    ("storage.wear", storage.check_wear),
    ("memory", memory.check_memory),
    ("clock", clock.check_clock),
    ("network.link", network.check_link),
    ("network.dns", network.check_resolver),
    ("network.hub", network.check_hub),
    ("network.policy", network.check_policy),
    ("watchdog", watchdog.check_watchdog),
    ("outbox", outbox.check_outbox),
)


def run_check(name: str, check: Callable[[CheckContext], CheckResult], ctx: CheckContext):
    try:
        return check(ctx)
    except Exception as error:  # a check that cannot run says so; the others still run
        reason = f"{type(error).__name__}: {error}".splitlines()[0][:300]
        return skip(name, f"Vérification impossible : {reason}", f"Check could not run: {reason}")


def run_checks(ctx: CheckContext, only: list[str] | None = None) -> list[CheckResult]:
    return [run_check(name, check, ctx) for name, check in CHECKS if not only or name in only]
