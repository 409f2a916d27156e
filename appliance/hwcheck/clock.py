"""Clock: synchronised (systemd-timesyncd through org.freedesktop.timedate1), and never
earlier than the image's build date — a clock in the past breaks TLS to the hub and
stamps submissions with wrong dates.
"""

from __future__ import annotations

from datetime import UTC, datetime

from appliance.hwcheck.context import CheckContext
from appliance.hwcheck.result import CheckResult, fail, ok, skip, warn

BUILD_INFO = "usr/lib/totem/build-info.json"


def evaluate_clock(
    synchronized: bool | None, now: datetime, built_at: datetime | None, why_unknown: str = ""
) -> CheckResult:
    details = {
        "now": now.isoformat(timespec="seconds"),
        "synchronized": synchronized,
        "built_at": built_at.isoformat(timespec="seconds") if built_at else None,
    }
    if built_at is not None and now < built_at:
        return fail(
            "clock",
            "E-CLOCK",
            "L'horloge est antérieure à la date de l'image : l'heure est fausse.",
            "The clock is earlier than the image's build date: the time is wrong.",
            **details,
        )
    if synchronized is None:
        if why_unknown:
            details["why"] = why_unknown
        return skip(
            "clock",
            "État de synchronisation inconnu.",
            f"Synchronisation state unknown: {why_unknown or 'no answer'}.",
            **details,
        )
    if not synchronized:
        return warn(
            "clock",
            "W-CLOCK",
            "L'horloge n'est pas synchronisée (NTP).",
            "The clock is not synchronised (NTP).",
            **details,
        )
    return ok("clock", "Horloge synchronisée.", "Clock synchronised.", **details)


def read_build_date(ctx: CheckContext) -> datetime | None:
    info = ctx.sysroot.read_json(BUILD_INFO)
    try:
        return datetime.fromtimestamp(int(info["source_date_epoch"]), UTC)
    except (TypeError, KeyError, ValueError, OverflowError):
        return None


def read_timedate(ctx: CheckContext) -> tuple[bool | None, datetime, str]:
    """(NTPSynchronized, current time, why unknown) from timedate1 or the recorded tree."""
    if not ctx.live:
        recorded = ctx.sysroot.read_json("timedate1.json")
        if not isinstance(recorded, dict):
            return None, ctx.current_time(), "no timedate1.json in the recorded tree"
        now = ctx.current_time()
        if "TimeUSec" in recorded:
            now = datetime.fromtimestamp(int(recorded["TimeUSec"]) / 1e6, UTC)
        return bool(recorded.get("NTPSynchronized")), now, ""
    now = ctx.current_time()
    try:
        import dbus

        bus = dbus.SystemBus()
        proxy = bus.get_object("org.freedesktop.timedate1", "/org/freedesktop/timedate1")
        value = proxy.Get(
            "org.freedesktop.timedate1",
            "NTPSynchronized",
            dbus_interface="org.freedesktop.DBus.Properties",
            timeout=5,
        )
        return bool(value), now, ""
    except ImportError:
        return None, now, "python3-dbus is not installed"
    except Exception as error:  # dbus.DBusException: no bus, no timedated
        return None, now, str(error).splitlines()[0][:200]


def check_clock(ctx: CheckContext) -> CheckResult:
    synchronized, now, why = read_timedate(ctx)
    return evaluate_clock(synchronized, now, read_build_date(ctx), why)
