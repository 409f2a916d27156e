"""`make run`: the whole chain on one machine — kiosk, sync process and a local hub.

    python -m appliance.demo --data-dir run-data

starts `totem-hub serve` on 127.0.0.1:8750 (the hub of the embedded default config) with
the demo's enrolment token registered, `totem sync` and `totem run` on `run-data/kiosk`,
prints the agents' page and login, and stops everything when the kiosk window closes or
on Ctrl-C. An idea typed on the kiosk appears on the agents' page a few seconds later.
"""

from __future__ import annotations

import argparse
import glob
import os
import signal
import subprocess
import sys
from pathlib import Path

from appliance.config import load_config
from appliance.sync.localhub import LocalHub, LocalHubError, free_port

NO_DISPLAY = """\
The demo needs a screen, and this session has none (no DISPLAY or WAYLAND_DISPLAY, and no
usable /dev/dri card). Run `make run` from a desktop session (or over `ssh -X`), or try the
kiosk without a screen with `.venv/bin/totem run --video dummy --data-dir run-data/kiosk`,
or look at every screen with `make screenshots`."""


def display_available(environ: dict[str, str] | None = None) -> bool:
    """A desktop session, or a DRM card this user may open (kmsdrm on a bare console)."""
    environ = os.environ if environ is None else environ
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return True
    return any(os.access(card, os.R_OK | os.W_OK) for card in glob.glob("/dev/dri/card*"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m appliance.demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default="run-data")
    parser.add_argument("--video", default="auto", help="passed to `totem run --video`")
    args = parser.parse_args(argv)

    if args.video != "dummy" and not display_available():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    data_dir = Path(args.data_dir)
    kiosk_dir = data_dir / "kiosk"
    kiosk_dir.mkdir(parents=True, exist_ok=True)
    config = load_config()
    hub_port = int(config.hub["url"].rsplit(":", 1)[1])
    if free_port_is_taken(hub_port):
        print(f"Port {hub_port} is already in use: stop whatever listens there (an earlier "
              "demo?) and run `make run` again.", file=sys.stderr)
        return 1

    hub = LocalHub(data_dir / "hub", port=hub_port, quiet=False)
    children: list[subprocess.Popen] = []
    try:
        hub.create_kiosk_token(config.hub["enrollment_token"])
        hub.start()
        print(f"Agents' page: {hub.url}/  (login: {hub_login(hub)})")
        totem = [sys.executable, "-m", "appliance"]
        children.append(subprocess.Popen([*totem, "sync", "--data-dir", str(kiosk_dir)]))
        kiosk = subprocess.Popen([*totem, "run", "--data-dir", str(kiosk_dir),
                                  "--video", args.video])
        children.append(kiosk)
        return kiosk.wait()
    except LocalHubError as error:
        print(f"The demo hub could not start: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        hub.stop()


def free_port_is_taken(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def hub_login(hub: LocalHub) -> str:
    raise NotImplementedError


if __name__ == "__main__":
    sys.exit(main())
