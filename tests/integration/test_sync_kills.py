"""Killing the processes that hold submissions (SIGKILL, at random moments) loses nothing."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter

import pytest
from sync_support import exported_ids, kiosk_config, local_hub, queue_ideas

from appliance.store import Outbox

TOTEM = [sys.executable, "-m", "appliance"]

# A writer like the UI: each id is printed only once `add()` returned, i.e. once the
# submission was acknowledged to the citizen.
WRITER = """
import sys
from appliance.store import Outbox
outbox = Outbox(sys.argv[1])
print("ready", flush=True)
n = 0
while True:
    item = outbox.add("idea", {"text": f"idée {n}"}, kiosk_id="hall-01", content_version="v1")
    print(item.id, flush=True)
    n += 1
"""


@pytest.mark.slow
def test_killing_the_sync_process_100_times_loses_and_duplicates_nothing(tmp_path):
    rng = random.Random(100)
    kiosk = tmp_path / "kiosk"
    queued: set[str] = set()
    with local_hub(tmp_path / "hub") as hub:
        kiosk_config(tmp_path, hub.url, hub.create_kiosk_token())
        sync = [*TOTEM, "sync", "--config", str(tmp_path / "totem.toml"), "--data-dir", str(kiosk)]
        for round_ in range(100):
            queued |= queue_ideas(kiosk, 30, prefix=f"round {round_}")
            process = subprocess.Popen(sync, stderr=subprocess.DEVNULL)
            # Start-up takes a good part of a second here: the kills land before, during
            # and after uploads.
            time.sleep(rng.uniform(0.15, 1.0))
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        with Outbox(kiosk) as outbox:
            left_before_final_pass = outbox.unsent_count()
        done = subprocess.run([*sync, "--once"], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        received = Counter(exported_ids(hub))
    assert set(received) == queued
    assert max(received.values()) == 1
    with Outbox(kiosk) as outbox:
        assert outbox.unsent_count() == 0 and outbox.integrity_ok()
    assert left_before_final_pass < len(queued), "the killed processes never delivered anything"


@pytest.mark.slow
def test_killing_a_writer_200_times_keeps_every_acknowledged_submission(tmp_path):
    rng = random.Random(200)
    acknowledged: list[str] = []
    for _ in range(200):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.15))
        os.kill(writer.pid, signal.SIGKILL)
        # Only whole lines count: a half-printed id was never acknowledged.
        acknowledged += [line.strip() for line in writer.stdout if line.endswith("\n")]
        writer.wait()
    with Outbox(tmp_path) as outbox:
        stored = {item.id for item in outbox.all()}
        assert outbox.integrity_ok()
    assert set(acknowledged) <= stored
    assert len(acknowledged) > 200
    check = sqlite3.connect(tmp_path / "outbox.sqlite3")
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()
