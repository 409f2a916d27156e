"""Waiting in tests for what another process or thread does: a file, a name on a bus, a
screen. Deadlines only stop a broken test from hanging; nothing here measures speed."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

WAIT_SECONDS = 20.0


def poll(condition: Callable[[], T], seconds: float = WAIT_SECONDS, interval: float = 0.05) -> T:
    """The first truthy `condition()` within `seconds`; its last (falsy) value after that."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def wait_until(
    condition: Callable[[], T], what: str, seconds: float = WAIT_SECONDS, interval: float = 0.05
) -> T:
    """Like `poll`, but the test fails naming `what` when it never comes."""
    value = poll(condition, seconds, interval)
    if not value:
        raise AssertionError(f"timed out after {seconds} s waiting for {what}")
    return value
