"""`make run`: the whole chain on one machine — kiosk, sync process and a local hub.

    python -m demo --data-dir run-data

starts `totem-hub serve` on 127.0.0.1:8750 (the hub of the embedded default config) with
the demo's enrolment token and an agent account, `totem sync` and `totem run` on
`run-data/kiosk`, prints the agents' page and login, and stops everything when the kiosk
closes or on Ctrl-C. An idea sent on the kiosk shows on the agents' page seconds later.
"""

from __future__ import annotations

import argparse
import glob
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from appliance.config import load_config
from demo.localhub import LocalHub, LocalHubError, terminate_with_parent

AGENT_LOGIN = "agent"
AGENT_PASSWORD = "totem-demo-2026"  # a local demo hub on loopback only

NO_DISPLAY = """\
The demo needs a screen and this session has none (no DISPLAY or WAYLAND_DISPLAY, and no
/dev/dri card this user may open). Run `make run` from a desktop session (or `ssh -X`);
or try the kiosk headless with `.venv/bin/totem run --video dummy`, or look at every
screen with `make screenshots`."""


def display_available(environ: dict[str, str] | None = None) -> bool:
    """A desktop session, or a DRM card this user may open (kmsdrm on a bare console)."""
    environ = os.environ if environ is None else environ
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return True
    return any(os.access(card, os.R_OK | os.W_OK) for card in glob.glob("/dev/dri/card*"))


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        # As servers do: connections of a previous run lingering in TIME_WAIT don't count.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demo",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data-dir", default="run-data")
    parser.add_argument("--video", default="auto", help="passed to `totem run --video`")
    parser.add_argument(
        "--input", help="passed to `totem run --input` (default: mouse on a desktop)"
    )
    args = parser.parse_args(argv)

    if args.video != "dummy" and not display_available():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    desktop = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    touch_input = args.input or ("mouse" if desktop else "auto")
    config = load_config()
    hub_port = urlsplit(config.hub["url"]).port or 80
    if port_in_use(hub_port):
        print(
            f"Port {hub_port} is already in use: stop what listens there (an earlier demo?) "
            "and run `make run` again.",
            file=sys.stderr,
        )
        return 1

    # `kill` or a closing terminal must stop the children too, through the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(0))
    data_dir = Path(args.data_dir)
    kiosk_dir = data_dir / "kiosk"
    kiosk_dir.mkdir(parents=True, exist_ok=True)
    hub = LocalHub(data_dir / "hub", port=hub_port, quiet=False)
    children: list[subprocess.Popen] = []
    try:
        prepare_hub(hub, config.hub["enrollment_token"], kiosk_dir)
        hub.start(die_with_parent=True)
        print(f"Agents' page: {hub.url}/  (login {AGENT_LOGIN!r}, password {AGENT_PASSWORD!r})")
        totem = [sys.executable, "-m", "appliance"]
        # However the launcher goes (Ctrl-C, kill, kill -9, a closed terminal), its children
        # go with it: the finally below, and the kernel's parent-death signal otherwise.
        sync = [*totem, "sync", "--data-dir", str(kiosk_dir)]
        children.append(subprocess.Popen(sync, preexec_fn=terminate_with_parent))
        run = ["run", "--data-dir", str(kiosk_dir), "--video", args.video, "--input", touch_input]
        kiosk = subprocess.Popen([*totem, *run], preexec_fn=terminate_with_parent)
        children.append(kiosk)
        return kiosk.wait()
    except LocalHubError as error:
        print(f"The demo hub could not start: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop_all(children)
        hub.stop()


def prepare_hub(hub: LocalHub, token: str, kiosk_dir: Path) -> None:
    """The demo token and agent, registered once in the demo hub's database."""
    first_run = not (hub.directory / "hub.sqlite3").exists()
    if first_run or not (kiosk_dir / "enrolment.json").exists():
        try:
            hub.create_kiosk_token(token)
        except LocalHubError:
            if first_run:
                raise  # on later runs the token is simply there already
    hub.add_agent(AGENT_LOGIN, AGENT_PASSWORD)


def stop_all(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
