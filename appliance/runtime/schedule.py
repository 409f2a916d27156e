"""When the main loop must wake up next: a few named periodic duties.

Pure bookkeeping over a clock the caller passes in, so the loop's timing is tested
without sleeping. Each duty is a callable; its name is for logs and tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Schedule:
    """Periodic duties by name (`every(name, seconds, run)`), each first due at `start`."""

    _period: dict[str, float] = field(default_factory=dict)
    _due: dict[str, float] = field(default_factory=dict)
    _run: dict[str, Callable[[], None]] = field(default_factory=dict)

    def every(
        self, name: str, seconds: float, run: Callable[[], None] = lambda: None, *, start: float
    ) -> None:
        self._period[name] = seconds
        self._due[name] = start
        self._run[name] = run

    def run_due(self, now: float) -> list[str]:
        """Run the duties due at `now`, in the order they were added; their names."""
        due = self.pop_due(now)
        for name in due:
            self._run[name]()
        return due

    def next_deadline(self) -> float | None:
        return min(self._due.values(), default=None)

    def pop_due(self, now: float) -> list[str]:
        """Names due at `now`, rescheduled one period later (from now: no catch-up bursts)."""
        due = [name for name, at in self._due.items() if at <= now]
        for name in due:
            self._due[name] = now + self._period[name]
        return due


def sleep_for(now: float, *deadlines: float | None, longest: float) -> float:
    """Seconds to sleep until the earliest deadline, never negative, at most `longest`."""
    pending = [at for at in deadlines if at is not None]
    if not pending:
        return longest
    return max(0.0, min(min(pending) - now, longest))
