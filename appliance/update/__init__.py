"""Remote A/B updates: which slot the Pi firmware starts, and what the updater decides.

A totem has two systems, A (boot-a + root-a) and B (boot-b + root-b). The Pi 4 firmware
reads `autoboot.txt` on TOTEMCFG: its `[all]` section names the slot that normally starts,
its `[tryboot]` section the one started once after `reboot "0 tryboot"`. An update goes to
the slot not running, is started once by tryboot, and becomes the normal slot only after
its health check; any other outcome (a failed check, a power cut, a hang) leaves the
firmware on the old slot at the next start.

- `autoboot.py`: the autoboot.txt format, read as the firmware reads it (pure).
- `bootstate.py`: the RAUC custom bootloader backend's decisions (pure).
- `backend.py`: that backend as RAUC calls it, on TOTEMCFG and the data partition (I/O).
- `version.py`: the release this root runs (their order: wire/release.py).
- `offer.py`, `download.py`, `agent.py`: a release the hub offers, checked, downloaded
  with resume into the data partition, and reported with the heartbeat.
- `postinstall.py`: RAUC's post-install handler (the new slot's cmdline.txt names its root).
- `window.py`: the maintenance window a restart into a new release waits for.
"""
