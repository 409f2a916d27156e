"""Touch panel: the node the touch pipeline would choose exists and has usable axes.

The choice itself is `appliance.touch.devices.choose_touch_device` (one rule for the UI
and this check). Axis ranges are not in sysfs: they come from the open node on the real
machine, from `evdev/eventN.json` in a recorded tree. Without a panel citizens cannot
use the totem at all, so a missing panel is critical.
"""

from __future__ import annotations

import dataclasses
import json
import time
from datetime import datetime
from pathlib import Path

from appliance.hwcheck.context import CheckContext
from appliance.hwcheck.result import CheckResult, fail, ok, warn
from appliance.touch import codes
from appliance.touch.description import AbsRange
from appliance.touch.devices import Candidate, choose_touch_device, rejection_reason, scan_sysfs

SETTLE_SECONDS = 30.0  # after boot, how long a missing panel may still be on its way

AXES = {
    "ABS_X": codes.ABS_X,
    "ABS_Y": codes.ABS_Y,
    "ABS_MT_POSITION_X": codes.ABS_MT_POSITION_X,
    "ABS_MT_POSITION_Y": codes.ABS_MT_POSITION_Y,
}


FAULT_WINDOW_SECONDS = 3600.0  # dropped inputs older than this are history, not a warning


def evaluate_touch(
    candidates: list[Candidate], ui_state: dict | None = None, now: float | None = None
) -> CheckResult:
    chosen = choose_touch_device(candidates)
    extra = {"ui": ui_state} if ui_state else {}
    if chosen is None:
        rejected = {f"{c.node} ({c.name})": rejection_reason(c.description) for c in candidates}
        empty = [node for node, why in rejected.items() if why and "min == max" in why]
        if empty:
            return fail(
                "touch",
                "E-TOUCH",
                "Dalle tactile détectée mais inutilisable (plage d'axes vide).",
                f"Touch panel found but unusable: empty axis range on {empty[0]}.",
                critical=True,
                rejected=rejected,
                **extra,
            )
        return fail(
            "touch",
            "E-TOUCH",
            "Aucune dalle tactile détectée.",
            "No touch panel found.",
            critical=True,
            rejected=rejected,
            **extra,
        )
    ranges = chosen.abs_ranges
    details = {
        "node": chosen.path,
        "name": chosen.name,
        "ranges": None
        if ranges is None
        else {name: list(ranges[code]) for name, code in AXES.items() if code in ranges},
        **extra,
    }
    reader = (ui_state or {}).get("reader")
    if isinstance(reader, dict):
        trouble = _reader_trouble(reader, time.time() if now is None else now, details)
        if trouble is not None:
            return trouble
    known = "" if ranges is not None else " (plages non lues)"
    known_en = "" if ranges is not None else " (axis ranges not read)"
    return ok(
        "touch",
        f"Dalle tactile : {chosen.name}{known}.",
        f"Touch panel: {chosen.name}{known_en}.",
        **details,
    )


def _reader_trouble(reader: dict, now: float, details: dict) -> CheckResult | None:
    """What the UI's own reader says: stopped (critical), or inputs it had to drop lately."""
    if reader.get("error"):
        return fail(
            "touch",
            "E-TOUCH",
            "La lecture de la dalle tactile s'est arrêtée (l'interface réessaie).",
            f"The UI stopped reading the touch panel (it keeps retrying): {reader['error']}",
            critical=True,
            **details,
        )
    faults = reader.get("faults")
    try:
        last = datetime.fromisoformat(str(reader.get("last_fault_at"))).timestamp()
    except ValueError:
        return None
    if isinstance(faults, int) and faults > 0 and now - last <= FAULT_WINDOW_SECONDS:
        return warn(
            "touch",
            "W-TOUCH-INPUT",
            f"La dalle tactile a envoyé {faults} événement(s) illisible(s), ignoré(s).",
            f"The touch panel sent {faults} event(s) the UI could not take; each was dropped.",
            **details,
        )
    return None


def read_ranges(ctx: CheckContext, candidate: Candidate) -> dict[int, AbsRange] | None:
    if not ctx.live:
        recorded = ctx.sysroot.read_json(f"evdev/{candidate.node}.json")
        if not isinstance(recorded, dict):
            return None
        return {
            AXES[name]: AbsRange(int(span[0]), int(span[1]))
            for name, span in recorded.items()
            if name in AXES
        }
    try:
        import evdev

        device = evdev.InputDevice(candidate.path)
    except (ImportError, OSError):
        return None  # no permission (not in group input): the choice still stands
    try:
        ranges = {}
        for code in AXES.values():
            if code in candidate.capabilities.get(codes.EV_ABS, ()):
                info = device.absinfo(code)
                ranges[code] = AbsRange(info.min, info.max)
        return ranges
    except OSError:
        return None
    finally:
        device.close()


def with_ranges(ctx: CheckContext, candidate: Candidate) -> Candidate:
    if codes.EV_ABS not in candidate.capabilities:
        return candidate
    ranges = read_ranges(ctx, candidate)
    if ranges is None:
        return candidate
    description = dataclasses.replace(candidate.description, abs_ranges=ranges)
    return dataclasses.replace(candidate, description=description)


def read_ui_state(path: Path) -> dict | None:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def uptime_seconds(ctx: CheckContext) -> float | None:
    text = ctx.sysroot.read("proc/uptime")
    try:
        return float(text.split()[0]) if text else None
    except ValueError:
        return None


def check_touch(ctx: CheckContext) -> CheckResult:
    candidates = [with_ranges(ctx, c) for c in scan_sysfs(str(ctx.sysroot.root))]
    # Right after boot a USB panel may still be enumerating: wait for it rather than put
    # the kiosk out of service for the five minutes until the next run.
    while ctx.live and choose_touch_device(candidates) is None:
        uptime = uptime_seconds(ctx)
        if uptime is None or uptime >= SETTLE_SECONDS:
            break
        time.sleep(1)
        candidates = [with_ranges(ctx, c) for c in scan_sysfs(str(ctx.sysroot.root))]
    # the running UI may publish the age of the last event it read; never guessed here
    ui_state = read_ui_state(ctx.local_data_dir() / "touch.json")
    return evaluate_touch(candidates, ui_state)
