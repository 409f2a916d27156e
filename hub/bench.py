"""Hub ingest benchmark: `python -m hub.bench [--submissions N] [--kiosks K] [--json]`.

Starts the real hub (Cheroot, SQLite with WAL and synchronous=FULL) on loopback in a temp
directory, enrols K kiosks and has them upload signed batches over HTTP in parallel, as
kiosks coming back online after an outage would. Prints submissions stored per second for
batches of 100 and for one submission per request (a kiosk delivering as citizens submit).
"""

from __future__ import annotations

import argparse
import json
import socket
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub import store
from hub.database import open_engine
from hub.server import build_server
from wire.protocol import (
    API_PREFIX,
    public_key_b64,
)
from wire.signing import signed_headers

TARGET = 200.0  # submissions per second, from the issue


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _BenchKiosk:
    def __init__(self, base_url: str, engine, number: int):
        self.base_url = base_url
        self.kiosk_id = f"bench-{number:02d}"
        self.key = Ed25519PrivateKey.generate()
        self.http = requests.Session()
        token = store.create_kiosk_token(engine)
        body = {"token": token, "kiosk_id": self.kiosk_id, "public_key": public_key_b64(self.key)}
        self.http.post(f"{base_url}{API_PREFIX}/enrol", json=body, timeout=30).raise_for_status()

    def upload(self, count: int) -> int:
        now = datetime.now(UTC).isoformat()
        items = [
            {
                "id": str(uuid.uuid4()),
                "kind": "idea",
                "created_at": now,
                "content_version": "demo-1",
                "kiosk_id": self.kiosk_id,
                "payload": {"text": f"Idée numéro {n} pour la commune", "category": "mobilite"},
            }
            for n in range(count)
        ]
        body = json.dumps({"submissions": items}).encode()
        path = f"{API_PREFIX}/submissions"
        headers = signed_headers(self.key, self.kiosk_id, "POST", path, body)
        headers["Content-Type"] = "application/json"
        answer = self.http.post(f"{self.base_url}{path}", data=body, headers=headers, timeout=60)
        answer.raise_for_status()
        return sum(r["status"] == "stored" for r in answer.json()["results"])


def _run(kiosks: list[_BenchKiosk], total: int, batch: int) -> tuple[int, float]:
    per_kiosk = total // len(kiosks)
    stored = [0] * len(kiosks)

    def work(index: int) -> None:
        left = per_kiosk
        while left > 0:
            stored[index] += kiosks[index].upload(min(batch, left))
            left -= batch

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(kiosks))]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(stored), time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hub.bench", description=__doc__)
    parser.add_argument("--submissions", type=int, default=4000)
    parser.add_argument("--kiosks", type=int, default=4)
    parser.add_argument("--json", action="store_true", help="one JSON object instead of text")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="totem-hub-bench-") as directory:
        engine = open_engine(f"sqlite:///{Path(directory) / 'hub.sqlite3'}")
        port = _free_port()
        server = build_server(engine, f"127.0.0.1:{port}")
        server.prepare()
        thread = threading.Thread(target=server.serve, daemon=True)
        thread.start()
        try:
            kiosks = [
                _BenchKiosk(f"http://127.0.0.1:{port}", engine, n) for n in range(args.kiosks)
            ]
            batched, batched_s = _run(kiosks, args.submissions, 100)
            single, single_s = _run(kiosks, max(args.submissions // 10, len(kiosks)), 1)
        finally:
            server.stop()
            engine.dispose()
    figures = {
        "hub_ingest_batched_per_s": round(batched / batched_s, 1),
        "hub_ingest_single_per_s": round(single / single_s, 1),
        "submissions": batched + single,
        "kiosks": args.kiosks,
        "target_per_s": TARGET,
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"hub ingest, SQLite (WAL, synchronous=FULL), {args.kiosks} kiosks in parallel:")
        print(f"  batches of 100:      {figures['hub_ingest_batched_per_s']:8.1f} submissions/s")
        print(f"  one per request:     {figures['hub_ingest_single_per_s']:8.1f} submissions/s")
        print(f"  target:              {TARGET:8.1f} submissions/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
