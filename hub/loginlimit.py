"""How many wrong passwords the agents' login takes before it waits (pure, thread-safe).

Counted per login name and per address, so neither guessing one agent's password from
many places nor many agents' from one place gets far. Kept in the hub's memory: a restart
forgets the count, which only helps a guesser once.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


class LoginThrottle:
    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.max_failures, self.window, self.clock = max_failures, window, clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def wait_seconds(self, login: str, address: str) -> float:
        """0 when a try is allowed now, else how long until it is."""
        now = self.clock()
        with self._lock:
            waits = [self._wait(key, now) for key in _keys(login, address)]
        return max(waits)

    def failed(self, login: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            for key in _keys(login, address):
                self._failures[key].append(now)

    def succeeded(self, login: str, address: str) -> None:
        with self._lock:
            self._failures.pop(f"login:{login}", None)

    def _wait(self, key: str, now: float) -> float:
        times = self._failures.get(key)
        if not times:
            return 0.0
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) < self.max_failures:
            return 0.0
        return times[0] + self.window - now


def _keys(login: str, address: str) -> tuple[str, str]:
    return f"login:{login}", f"address:{address}"
