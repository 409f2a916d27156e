"""How long to wait before retrying a hub that failed: exponential, jittered, capped.

Jitter spreads the retries of a town's kiosks after a hub outage, so they do not all
come back in the same second.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

CAP_SECONDS = 15 * 60


@dataclass
class Backoff:
    base: float = 2.0
    cap: float = CAP_SECONDS
    rng: random.Random = field(default_factory=random.Random)
    failures: int = 0

    def next_delay(self) -> float:
        """The delay before the next attempt, counting one more failure."""
        ceiling = min(self.cap, self.base * 2 ** min(self.failures, 32))
        self.failures += 1
        # "Equal jitter": at least half the exponential delay, so a failing hub is never
        # hammered, and a random other half.
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)

    def reset(self) -> None:
        self.failures = 0
