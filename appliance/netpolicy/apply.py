"""Installing the policy on the device, failing closed, and reporting on it.

`apply_policy` renders both files, loads the ruleset with `nft -f` (one transaction), points
/etc/resolv.conf at the local resolver and systemd-timesyncd at the NTP hosts, and restarts the
resolver unit through systemd over D-Bus (dnsmasq re-reads its file only when started). At boot
the units are ordered after totem-netpolicy.service and start with the new files by themselves.
Whatever goes wrong, the fail-closed table is what stays, the reason is logged and written to
the status file.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from appliance.config import ConfigError, load_config
from appliance.content import load_content
from appliance.netpolicy import status
from appliance.netpolicy.allowlist import NTP, PolicyError, compute_allowlist
from appliance.netpolicy.dhcp import LEASES_DIR, dhcp_resolvers
from appliance.netpolicy.dnsmasq import render_dnsmasq
from appliance.netpolicy.nftables import TABLE, render_fail_closed, render_nftables

log = logging.getLogger("totem.netpolicy")

CONFIG_PATH = Path("/run/totem/cfg/totem.toml")
DATA_DIR = Path("/var/lib/totem")
RUN_DIR = Path("/run/totem/netpolicy")  # where the rendered files live on the device
RESOLV_CONF = Path("/etc/resolv.conf")
RESOLVER_UNIT = "totem-resolver.service"
TIMESYNCD_UNIT = "systemd-timesyncd.service"
TIMESYNCD_DROPIN = Path("/run/systemd/timesyncd.conf.d/totem.conf")
LOCAL_RESOLVERS = {"127.0.0.1", "::1"}
RESOLV_TEXT = (
    "# Written by totem netpolicy: only the local resolver.\n"
    "nameserver 127.0.0.1\nnameserver ::1\noptions edns0 trust-ad\n"
)


class ApplyError(RuntimeError):
    """The policy could not be applied; the fail-closed table is in place."""


@dataclass(frozen=True)
class Rendered:
    nftables: str
    dnsmasq: str
    ntp_hosts: tuple[str, ...] = ()


def render(
    config_path: Path | str, data_dir: Path | str | None, leases_dir: Path = LEASES_DIR
) -> Rendered:
    """Both files for this totem.toml and content; raises ConfigError or PolicyError."""
    config = load_config(config_path)
    network_resolvers = () if config.network["dns"] else dhcp_resolvers(leases_dir)
    allowlist = compute_allowlist(config, load_content(data_dir), network_resolvers)
    for reason in allowlist.skipped:
        log.warning("site tile left out of the allow-list: %s", reason)
    ntp_hosts = tuple(
        d.pattern.removesuffix("/32").removesuffix("/128")
        for d in allowlist.destinations
        if (d.protocol, d.port) == NTP
    )
    return Rendered(render_nftables(allowlist), render_dnsmasq(allowlist), ntp_hosts)


def is_current(rendered: Rendered, out_dir: Path) -> bool:
    """Whether `out_dir` already holds exactly these files."""
    try:
        return (out_dir / "nftables.conf").read_text() == rendered.nftables and (
            out_dir / "dnsmasq.conf"
        ).read_text() == rendered.dnsmasq
    except OSError:
        return False


def write_rendered(rendered: Rendered, out_dir: Path) -> tuple[Path, Path]:
    out_dir = Path(out_dir)
    paths = out_dir / "nftables.conf", out_dir / "dnsmasq.conf"
    status.write_atomically(paths[0], rendered.nftables)
    status.write_atomically(paths[1], rendered.dnsmasq)
    return paths


def load_ruleset(text: str) -> None:
    """Load a ruleset with `nft -f -`; raises ApplyError with nft's first error line."""
    try:
        result = subprocess.run(
            ["nft", "-f", "-"], input=text, capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ApplyError(f"cannot run nft: {error}") from None
    if result.returncode != 0:
        first = next((line for line in result.stderr.splitlines() if line.strip()), "")
        raise ApplyError(f"nft refused the ruleset: {first or 'exit ' + str(result.returncode)}")


def restart_services() -> None:
    """Ask systemd (over the system bus) to restart the resolver, and timesyncd if it runs."""
    for unit, method in ((RESOLVER_UNIT, "RestartUnit"), (TIMESYNCD_UNIT, "TryRestartUnit")):
        try:
            import dbus

            bus = dbus.SystemBus()
            systemd = bus.get_object("org.freedesktop.systemd1", "/org/freedesktop/systemd1")
            manager = dbus.Interface(systemd, "org.freedesktop.systemd1.Manager")
            getattr(manager, method)(unit, "replace")
        except Exception as error:  # D-Bus missing or refusing: the caller fails closed
            raise ApplyError(f"cannot restart {unit} through systemd: {error}") from None


def point_resolv_conf(path: Path = RESOLV_CONF) -> None:
    """Make resolv.conf name only the local resolver (through its symlink, if it has one).

    On the image it already does, on a read-only root: then there is nothing to write.
    """
    try:
        servers = {
            line.split()[1]
            for line in path.read_text().splitlines()
            if line.startswith("nameserver") and len(line.split()) > 1
        }
    except OSError:
        servers = set()
    if servers and servers <= LOCAL_RESOLVERS:
        return
    status.write_atomically(Path(os.path.realpath(path)), RESOLV_TEXT)


def point_timesyncd(ntp_hosts: tuple[str, ...], path: Path = TIMESYNCD_DROPIN) -> None:
    """systemd-timesyncd asks only the configured NTP hosts (its Debian pool is not allowed)."""
    text = "# Written by totem netpolicy from totem.toml network.ntp\n[Time]\n"
    text += f"NTP={' '.join(ntp_hosts)}\nFallbackNTP=\n"
    status.write_atomically(path, text)


def fail_closed(reason: str, state_path: Path | None = None) -> None:
    """Leave only loopback working and record why; never raises for the fail-closed step."""
    log.error("network policy failed closed: %s", reason)
    try:
        load_ruleset(render_fail_closed())
    except ApplyError as error:
        reason = f"{reason}; and the fail-closed table could not be loaded: {error}"
        log.critical("%s", reason)
    status.write_state(status.FAIL_CLOSED, reason, state_path)


def apply_policy(
    config_path: Path | str = CONFIG_PATH,
    data_dir: Path | str | None = DATA_DIR,
    *,
    run_dir: Path = RUN_DIR,
    state_path: Path | None = None,
    system: bool = True,
    restart: Callable[[], None] | None = restart_services,
    if_changed: bool = False,
    leases_dir: Path = LEASES_DIR,
) -> bool:
    """Apply the policy, or fail closed and raise ApplyError with the reason.

    `system=False` leaves resolv.conf, timesyncd and the units alone (a test namespace);
    `restart=None` writes their files without restarting them (at boot, they start after).
    With `if_changed`, an applied policy whose files did not change is left running.
    Returns whether anything was (re)applied.
    """
    run_dir = Path(run_dir)
    try:
        rendered = render(config_path, data_dir, leases_dir)
        current = status.read_state(state_path) or {}
        if if_changed and current.get("state") == status.APPLIED and is_current(rendered, run_dir):
            return False
        write_rendered(rendered, run_dir)
        load_ruleset(rendered.nftables)
        if system:
            point_resolv_conf()
            point_timesyncd(rendered.ntp_hosts)
            if restart is not None:
                restart()
    except (ConfigError, PolicyError, ApplyError, OSError) as error:
        reason = str(error)
        fail_closed(reason, state_path)
        raise ApplyError(reason) from None
    status.write_state(status.APPLIED, None, state_path)
    log.info("network policy applied from %s", config_path)
    return True


def policy_status(state_path: Path | None = None) -> dict:
    """Set sizes, drop counters, the resolver's state and the last apply's outcome."""
    report: dict = {"state": status.read_state(state_path), "sets": {}, "dropped": {}}
    try:
        listing = subprocess.run(
            ["nft", "-j", "list", "table", "inet", TABLE],
            capture_output=True,
            text=True,
            timeout=30,
        )
        objects = json.loads(listing.stdout)["nftables"] if listing.returncode == 0 else []
    except (OSError, ValueError, KeyError, subprocess.TimeoutExpired):
        objects = []
    report["table"] = bool(objects)
    for item in objects:
        if "set" in item:
            report["sets"][item["set"]["name"]] = len(item["set"].get("elem", []))
        elif "counter" in item:
            counter = item["counter"]
            report["dropped"][counter["name"]] = {
                "packets": counter.get("packets", 0),
                "bytes": counter.get("bytes", 0),
            }
    report["resolver"] = {"unit": _unit_state(RESOLVER_UNIT), "answers": _resolver_answers()}
    return report


def _unit_state(unit: str) -> str:
    try:
        import dbus

        bus = dbus.SystemBus()
        systemd = bus.get_object("org.freedesktop.systemd1", "/org/freedesktop/systemd1")
        path = dbus.Interface(systemd, "org.freedesktop.systemd1.Manager").LoadUnit(unit)
        properties = dbus.Interface(
            bus.get_object("org.freedesktop.systemd1", path), "org.freedesktop.DBus.Properties"
        )
        return str(properties.Get("org.freedesktop.systemd1.Unit", "ActiveState"))
    except Exception:  # no system bus (a container, a test namespace): say so rather than fail
        return "unknown"


def _resolver_answers(server: str = "127.0.0.1") -> bool:
    """Whether something answers DNS on the local resolver's address (any answer will do)."""
    query = bytes.fromhex("7a7a0100000100000000000007696e76616c69640000010001")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(1.0)
        try:
            sock.sendto(query, (server, 53))
            return sock.recv(512)[:2] == query[:2]
        except OSError:
            return False
