"""Sync benchmark: 10,000 queued submissions delivered to a local hub, timed.

    python -m demo.sync_bench [--count 10000] [--json]

Starts `totem-hub serve` on a free loopback port with a fresh database, fills a fresh
outbox, then times the sync process's own delivery loop (enrolment included) until the
outbox is empty. Prints the figures; exits 1 if anything was not delivered.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from appliance.config import parse_config
from appliance.store import Outbox
from appliance.sync.service import SyncService
from demo.localhub import LocalHub, LocalHubError

TARGET_SECONDS = 30.0  # for 10,000 submissions on the 2-core build machine


def run(count: int, workdir: Path) -> dict[str, float | int]:
    kiosk = workdir / "kiosk"
    with LocalHub(workdir / "hub") as hub:
        token = hub.create_kiosk_token()
        config = parse_config(
            f'[site]\nkiosk_id = "bench-01"\n[hub]\nurl = "{hub.url}"\n'
            f'enrollment_token = "{token}"\n'
        )
        started = time.perf_counter()
        with Outbox(kiosk) as outbox:
            for n in range(count):
                outbox.add(
                    "idea",
                    {"category": "cadre-de-vie", "text": f"Idée de banc numéro {n}"},
                    kiosk_id="bench-01",
                    content_version="bench",
                )
        queued = time.perf_counter() - started
        with SyncService(config, kiosk) as service:
            started = time.perf_counter()
            service.ensure_enrolled()
            delivered = service.deliver()
            elapsed = time.perf_counter() - started
            left = service.outbox.unsent_count()
        received = sum(1 for line in hub.export().splitlines() if line.strip())
    return {
        "submissions": count,
        "queue_seconds": round(queued, 2),
        "sync_seconds": round(elapsed, 2),
        "per_second": round(delivered / elapsed, 1) if elapsed else 0.0,
        "acknowledged": delivered,
        "received_by_hub": received,
        "left_in_outbox": left,
        "target_seconds": TARGET_SECONDS * count / 10_000,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo.sync_bench", description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="one JSON object")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="totem-sync-bench-") as workdir:
        try:
            figures = run(args.count, Path(workdir))
        except LocalHubError as error:
            print(f"sync bench: {error}", file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"sync bench: {figures['submissions']} submissions queued in "
            f"{figures['queue_seconds']} s, delivered to a local hub in "
            f"{figures['sync_seconds']} s "
            f"({figures['per_second']}/s; target ≤ {figures['target_seconds']:.0f} s); "
            f"hub holds {figures['received_by_hub']}, outbox left {figures['left_in_outbox']}"
        )
    complete = figures["received_by_hub"] == args.count and figures["left_in_outbox"] == 0
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
