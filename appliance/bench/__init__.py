"""`totem bench`: the kiosk's own performance figures, against the product's targets.

Latency and render times are measured in this process through the real touch pipeline
and UI; idle CPU and memory on a real `totem run` subprocess left alone.
"""

from __future__ import annotations

from appliance.bench.idle import measure_idle
from appliance.bench.touch import measure_in_process

# (figure, limit, unit): what a kiosk on a Raspberry Pi 4 must hold to.
TARGETS = (
    ("touch_to_frame_latency_ms_p99", 8.0, "ms"),
    ("idle_cpu_percent", 1.0, "%"),
    ("rss_mb", 80.0, "MB"),
)


def run_bench(idle_seconds: float = 10.0) -> dict[str, float]:
    figures: dict[str, float] = {}
    figures.update(measure_in_process())
    figures.update(measure_idle(idle_seconds))
    return figures


def verdicts(figures: dict[str, float]) -> dict[str, bool]:
    return {name: figures[name] <= limit for name, limit, _ in TARGETS if name in figures}


def table(figures: dict[str, float]) -> str:
    limits = {name: (limit, unit) for name, limit, unit in TARGETS}
    ok = verdicts(figures)
    width = max(len(name) for name in figures)
    lines = [f"{'figure':<{width}}  {'value':>9}  target"]
    for name, value in figures.items():
        target = ""
        if name in limits:
            limit, unit = limits[name]
            target = f"≤ {limit:g} {unit}  {'ok' if ok[name] else 'MISSED'}"
        lines.append(f"{name:<{width}}  {value:>9}  {target}")
    return "\n".join(lines)
