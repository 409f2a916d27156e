"""How hard the fuzz tests try: a bounded run in `make test`, a long one in `make fuzz`.

`TOTEM_FUZZ_EXAMPLES` sets the examples per test (default 200); `make fuzz` raises it. No
deadline: a 2-core CI machine under load must not fail a test for being slow.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("TOTEM_FUZZ_EXAMPLES", "200"))


def fuzz(share: float = 1.0) -> settings:
    """Settings for one fuzz test; `share` scales the examples for the slower targets."""
    return settings(
        max_examples=max(10, int(EXAMPLES * share)),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
