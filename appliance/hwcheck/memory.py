"""Memory: what is left (MemAvailable) and how much tasks stall waiting for it (PSI)."""

from __future__ import annotations

from appliance.hwcheck.context import CheckContext
from appliance.hwcheck.result import CheckResult, fail, ok, skip, warn

LOW_FRACTION = 0.10
CRITICAL_FRACTION = 0.03
STALL_WARN = 10.0  # % of the last minute some task waited for memory


def parse_meminfo(text: str) -> dict[str, int]:
    """kB values by name (`MemTotal`, `MemAvailable`, …)."""
    values = {}
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        fields = rest.split()
        if fields and fields[0].isdigit():
            values[name.strip()] = int(fields[0])
    return values


def parse_pressure(text: str) -> dict[str, dict[str, float]]:
    """`/proc/pressure/memory` → {"some": {"avg10": …, "avg60": …}, "full": {…}}."""
    pressure = {}
    for line in text.splitlines():
        kind, *pairs = line.split()
        values = {}
        for pair in pairs:
            key, _, value = pair.partition("=")
            try:
                values[key] = float(value)
            except ValueError:
                continue
        pressure[kind] = values
    return pressure


def evaluate_memory(meminfo: dict[str, int], pressure: dict | None) -> CheckResult:
    total, available = meminfo.get("MemTotal"), meminfo.get("MemAvailable")
    if not total or available is None:
        return skip("memory", "Mémoire inconnue.", "Memory figures unknown.")
    stall = (pressure or {}).get("some", {}).get("avg60")
    details = {"total_kb": total, "available_kb": available, "stall_avg60": stall}
    free_mb = available // 1024
    if available < CRITICAL_FRACTION * total:
        return fail(
            "memory",
            "E-MEMORY",
            f"Mémoire presque épuisée ({free_mb} Mo libres).",
            f"Memory nearly exhausted ({free_mb} MB available).",
            **details,
        )
    if available < LOW_FRACTION * total or (stall is not None and stall >= STALL_WARN):
        return warn(
            "memory",
            "W-MEMORY",
            f"Mémoire sous pression ({free_mb} Mo libres).",
            f"Memory under pressure ({free_mb} MB available).",
            **details,
        )
    return ok(
        "memory", f"Mémoire : {free_mb} Mo libres.", f"Memory: {free_mb} MB available.", **details
    )


def check_memory(ctx: CheckContext) -> CheckResult:
    text = ctx.sysroot.read("proc/meminfo")
    if text is None:
        return skip("memory", "/proc/meminfo illisible.", "/proc/meminfo not readable.")
    pressure = ctx.sysroot.read("proc/pressure/memory")
    return evaluate_memory(parse_meminfo(text), parse_pressure(pressure) if pressure else None)
