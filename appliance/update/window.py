"""The maintenance window: when a totem may restart into a new release (pure).

`[update] window = "03:00-05:00"` in totem.toml, local time; a window may run past
midnight ("23:30-01:00"). A restart also waits for the screen to be idle (attract): a
citizen in the middle of an idea is never cut off by an update.
"""

from __future__ import annotations

import re
from datetime import time

_WINDOW = re.compile(r"([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)", re.ASCII)


class WindowError(ValueError):
    pass


def parse_window(text: str) -> tuple[time, time]:
    found = _WINDOW.fullmatch(text.strip())
    if found is None:
        raise WindowError(f"{text!r} is not a window like 03:00-05:00")
    start = time(int(found[1]), int(found[2]))
    end = time(int(found[3]), int(found[4]))
    if start == end:
        raise WindowError(f"{text!r} starts and ends at the same minute")
    return start, end


def in_window(now: time, window: tuple[time, time]) -> bool:
    start, end = window
    if start < end:
        return start <= now < end
    return now >= start or now < end  # past midnight


def may_restart(now: time, window: tuple[time, time], screen: str | None) -> bool:
    """Inside the window, and nobody at the screen (the attract screen shows, or no UI)."""
    return in_window(now, window) and screen in (None, "attract", "out-of-service")
