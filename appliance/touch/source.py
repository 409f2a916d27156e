"""Where gestures come from at run time: the real panel (touch/panel.py) or an evemu
recording or FIFO (touch/replay.py), both read by touch/reader.py's thread.
"""

from __future__ import annotations

from appliance.touch.panel import PanelSource
from appliance.touch.reader import GestureSource
from appliance.touch.replay import EvemuSource


def open_source(
    spec: str,
    *,
    size: tuple[int, int],
    rotation: int = 0,
    matrix: tuple[float, ...] | None = None,
) -> GestureSource:
    """`auto` (the real panel) or `evemu:PATH` (a recording or FIFO replayed in real time)."""
    if spec == "auto":
        return PanelSource(size=size, rotation=rotation, matrix=matrix)
    if spec.startswith("evemu:") and len(spec) > len("evemu:"):
        return EvemuSource(spec[len("evemu:") :], size=size, rotation=rotation, matrix=matrix)
    raise ValueError(f"touch input must be 'auto' or 'evemu:PATH', not {spec!r}")
