"""Delivering the outbox to the town hall's hub: the kiosk's sync process.

It runs as its own process (`totem sync`), so the UI never waits on the network:
the UI commits a submission to the outbox, the sync process reads it from there, uploads
it in signed batches and marks it sent only from the hub's per-item answer. Uploads are
idempotent by submission id, so a batch resent after a lost answer is acknowledged as a
duplicate, never stored twice. The same process pulls the town hall's signed content and
sends heartbeats.

- `backoff.py`: retry delays (exponential, jittered, capped at 15 minutes).
- `enrolment.py`: what the kiosk keeps from enrolment (`enrolment.json`).
- `client.py`: signed HTTP requests to the hub (requests, TLS verification always on).
- `content.py`: verifying and caching the town hall's content.
- `devicekey.py`: the kiosk's Ed25519 key, made at first boot.
- `service.py`: the loop that ties them together.

A real hub on loopback for the demo, the benchmark and the tests is `demo/localhub.py`.
"""
