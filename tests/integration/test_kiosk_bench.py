"""`totem bench --json` gives the figures the targets are checked against (not the targets:
speed is measured, not asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def test_bench_reports_latency_render_idle_cpu_and_memory_as_one_json_object():
    result = subprocess.run(
        [sys.executable, "-m", "appliance", "bench", "--json", "--idle-seconds", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SDL_VIDEODRIVER": "dummy"},
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1
    figures = json.loads(lines[0])
    assert any("latency" in key and "p99" in key for key in figures)
    assert any("idle" in key and "cpu" in key for key in figures)
    assert any("rss" in key for key in figures)
    assert {f"render_{screen}_ms_p99" for screen in ("home", "ideas", "thanks")} <= set(figures)
    assert all(isinstance(value, int | float) and value >= 0 for value in figures.values())
