"""At boot the UI, the sync process and the hardware check open the outbox at the same moment.

Real processes race on fresh files, in lockstep so that their first opens collide; every one
must open the outbox (one of them switches the new file to WAL) and no submission is lost.
Before opening waited for a file being switched to WAL, about 1 open in 100 failed here with
"database is locked", and the kiosk showed E-OUTBOX.
"""

from __future__ import annotations

import multiprocessing

from appliance.store import Outbox, OutboxError

PROCESSES = 3
ROUNDS = 80


def _opener(folders, barrier, results, index):
    failures = []
    for folder in folders:
        barrier.wait()
        try:
            with Outbox(folder) as outbox:
                outbox.add(
                    "rating",
                    {"service": "accueil", "score": index + 1},
                    kiosk_id="hall-01",
                    content_version="v1",
                )
        except OutboxError as error:
            failures.append(str(error))
    results.put(failures)


def test_processes_opening_a_new_outbox_together_all_succeed(tmp_path):
    folders = [tmp_path / f"data-{n}" for n in range(ROUNDS)]
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    workers = [
        context.Process(target=_opener, args=(folders, barrier, results, index))
        for index in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    failures = [failure for _ in workers for failure in results.get(timeout=120)]
    for worker in workers:
        worker.join(timeout=30)
    assert failures == []
    for folder in folders:
        with Outbox(folder) as outbox:
            assert sorted(item.payload["score"] for item in outbox.all()) == [1, 2, 3]
