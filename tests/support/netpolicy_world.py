"""A totem and "the world", two network namespaces joined by a veth pair, for the netpolicy tests.

The world runs a real DNS server (dnsmasq with host records, over UDP and TCP) that answers
for every name, allowed or not, so any NXDOMAIN the totem sees is its own resolver's doing;
and listeners on several IPv4 and IPv6 addresses: TCP ports that greet, UDP ports that echo.
Run as `python netpolicy_world.py listen` it is that listener.
Names of namespaces are unique per run; `close()` removes everything it made.
"""

from __future__ import annotations

import json
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROBE = HERE / "netpolicy_probe.py"
# The system's interpreter, which any user may run (the probe only needs the standard library).
PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable

TOTEM_V4, TOTEM_V6 = "10.99.0.2", "fd99::2"
WORLD_V4, WORLD_V6 = "10.99.0.1", "fd99::1"
RESOLVER_V4, RESOLVER_V6 = "10.99.0.53", "fd99::53"  # the town hall's DNS servers
ROGUE_RESOLVER_V4, ROGUE_RESOLVER_V6 = "10.99.1.53", "fd99:1::53"  # any other DNS server

# name -> (IPv4, IPv6 or None); every one of them answers on the listener ports.
HOSTS = {
    "hub.totem.test": ("10.99.1.10", "fd99:1::10"),
    "www.allowed.test": ("10.99.1.11", "fd99:1::11"),
    "a.wild.test": ("10.99.1.12", "fd99:1::12"),
    "wild.test": ("10.99.1.13", "fd99:1::13"),
    "deep.b.wild.test": ("10.99.1.14", None),
    "sub.www.allowed.test": ("10.99.1.15", None),
    "plain.allowed.test": ("10.99.1.80", None),
    "ntp.totem.test": ("10.99.1.123", "fd99:1::123"),
    "rogue-ntp.test": ("10.99.1.124", "fd99:1::124"),
    "evil.test": ("10.99.1.66", "fd99:1::66"),
    "hub.totem.test.evil.test": ("10.99.1.67", None),
    "dns.evil.test": ("10.99.1.53", "fd99:1::53"),
}
# Whatever else is asked, the world answers this address (so NXDOMAIN proves the totem's rule).
ANY_NAME_V4 = "10.99.1.99"
# Servers the world's DNS does not know (it answers ANY_NAME_V4): totem.toml pins them
# (network.hosts); the first is allowed, the second is not. (A pinned name's parent exists
# for dnsmasq, which answers it NODATA rather than NXDOMAIN: kept out of allowed.test,
# whose parent the hostile-name tests expect NXDOMAIN for.)
PINNED = {"portail.intranet.test": "10.99.1.20", "pinned.evil.test": "10.99.1.21"}

TCP_PORTS = (22, 80, 443, 853, 8080, 8443)
UDP_PORTS = (123, 443, 5000)

TOTEM_TOML = f"""
[site]
kiosk_id = "hall-01"

[hub]
url = "https://hub.totem.test"

[network]
allow = ["www.allowed.test", "*.wild.test", "http://plain.allowed.test", "portail.intranet.test"]
dns = ["{RESOLVER_V4}", "{RESOLVER_V6}"]
hosts = {[f"{address} {name}" for name, address in PINNED.items()]!r}
ntp = ["ntp.totem.test"]
"""


class World:
    def __init__(self, workdir: Path):
        tag = secrets.token_hex(3)
        self.totem, self.world = f"npt-{tag}", f"npw-{tag}"
        self.workdir = workdir
        self.processes: list[subprocess.Popen] = []

    # -- set-up and tear-down -------------------------------------------------------------
    def start(self) -> World:
        for namespace in (self.totem, self.world):
            _run("ip", "netns", "add", namespace)
            _run("ip", "-n", namespace, "link", "set", "lo", "up")
        _run(
            "ip",
            "link",
            "add",
            "veth-t",
            "netns",
            self.totem,
            "type",
            "veth",
            "peer",
            "name",
            "veth-w",
            "netns",
            self.world,
        )
        self._address(self.totem, "veth-t", f"{TOTEM_V4}/24", f"{TOTEM_V6}/64")
        self._address(self.world, "veth-w", f"{WORLD_V4}/24", f"{WORLD_V6}/64")
        extra = [RESOLVER_V4, ROGUE_RESOLVER_V4, ANY_NAME_V4, *PINNED.values()]
        extra += [v4 for v4, _ in HOSTS.values()]
        extra6 = [RESOLVER_V6, ROGUE_RESOLVER_V6] + [v6 for _, v6 in HOSTS.values() if v6]
        for address in sorted(set(extra)):
            _run("ip", "-n", self.world, "addr", "add", f"{address}/32", "dev", "veth-w")
        for address in sorted(set(extra6)):
            _run("ip", "-n", self.world, "addr", "add", f"{address}/128", "dev", "veth-w", "nodad")
        _run("ip", "-n", self.totem, "route", "add", "default", "via", WORLD_V4)
        _run("ip", "-n", self.totem, "-6", "route", "add", "default", "via", WORLD_V6)
        # `ip netns exec` shows /etc/netns/NAME/resolv.conf as /etc/resolv.conf
        etc = Path("/etc/netns") / self.totem
        etc.mkdir(parents=True, exist_ok=True)
        (etc / "resolv.conf").write_text("nameserver 127.0.0.1\nnameserver ::1\n")
        self._start_world_dns()
        me = str(Path(__file__).resolve())
        world_addresses = [WORLD_V4, WORLD_V6, *sorted(set(extra)), *sorted(set(extra6))]
        self.spawn(self.world, [sys.executable, me, "listen", *world_addresses], "listen")
        self.spawn(self.totem, [sys.executable, me, "listen", TOTEM_V4, TOTEM_V6], "inside")
        self.wait_for(
            lambda: (
                self.probe([{"op": "tcp", "host": WORLD_V4, "port": 443}], namespace=self.world)[0][
                    "result"
                ]
                == "open"
            ),
            "the world's listeners",
        )
        return self

    def close(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
        for namespace in (self.totem, self.world):
            subprocess.run(["ip", "netns", "del", namespace], capture_output=True)
        shutil.rmtree(Path("/etc/netns") / self.totem, ignore_errors=True)

    def _address(self, namespace: str, device: str, v4: str, v6: str) -> None:
        _run("ip", "-n", namespace, "addr", "add", v4, "dev", device)
        _run("ip", "-n", namespace, "addr", "add", v6, "dev", device, "nodad")
        _run("ip", "-n", namespace, "link", "set", device, "up")

    def _start_world_dns(self) -> None:
        lines = [
            "port=53",
            "bind-interfaces",
            "no-resolv",
            "no-hosts",
            "pid-file=",
            "local-ttl=60",
            "log-facility=-",
        ]
        for address in (RESOLVER_V4, RESOLVER_V6, ROGUE_RESOLVER_V4, ROGUE_RESOLVER_V6):
            lines.append(f"listen-address={address}")
        for name, (v4, v6) in HOSTS.items():
            lines.append(f"host-record={name},{v4}" + (f",{v6}" if v6 else ""))
        lines.append(f"address=/#/{ANY_NAME_V4}")
        lines.append("dhcp-range=10.99.0.100,10.99.0.150,1h")  # for the totem's DHCP client
        lines.append("no-ping")  # offer at once, without probing the address first
        conf = self.workdir / "world-dnsmasq.conf"
        conf.write_text("\n".join(lines) + "\n")
        self.spawn(self.world, ["dnsmasq", "--keep-in-foreground", f"--conf-file={conf}"], "wdns")
        self.wait_for(
            lambda: (
                self.probe(
                    [{"op": "dns", "name": "evil.test", "server": RESOLVER_V4}],
                    namespace=self.world,
                )[0]["rcode"]
                == 0
            ),
            "the world's DNS server",
        )

    # -- the totem's side -------------------------------------------------------------------
    def render(self, config_text: str = TOTEM_TOML) -> Path:
        """`totem netpolicy render --config F --out DIR`, as an installer would run it."""
        config = self.workdir / "totem.toml"
        config.write_text(config_text)
        out = self.workdir / "policy"
        result = subprocess.run(
            [
                str(Path(sys.executable).with_name("totem")),
                "netpolicy",
                "render",
                "--config",
                str(config),
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return out

    def apply_by_hand(self, out: Path) -> None:
        """The contract: `nft -f nftables.conf`, then `dnsmasq --keep-in-foreground --conf-file`."""
        self.totem_exec("nft", "-f", str(out / "nftables.conf"))
        self.spawn(
            self.totem,
            ["dnsmasq", "--keep-in-foreground", f"--conf-file={out / 'dnsmasq.conf'}"],
            "tdns",
        )
        self.wait_for(
            lambda: (
                self.probe([{"op": "dns", "name": "nothing.invalid", "server": "127.0.0.1"}])[0][
                    "rcode"
                ]
                is not None
            ),
            "the totem's resolver",
        )

    # -- helpers ------------------------------------------------------------------------------
    def totem_exec(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        return _run("ip", "netns", "exec", self.totem, *argv, check=check)

    def world_exec(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        return _run("ip", "netns", "exec", self.world, *argv, check=check)

    def spawn(self, namespace: str, argv: list[str], name: str) -> subprocess.Popen:
        with open(self.workdir / f"{name}.log", "w") as log:  # the child keeps its own copy
            process = subprocess.Popen(
                ["ip", "netns", "exec", namespace, *argv], stdout=log, stderr=subprocess.STDOUT
            )
        self.processes.append(process)
        return process

    def probe(
        self, flows: list[dict], namespace: str | None = None, user: str | None = None
    ) -> list[dict]:
        """Run `flows` at once from inside `namespace` (the totem by default), as `user`."""
        argv = ["ip", "netns", "exec", namespace or self.totem]
        if user:
            gid = pwd.getpwnam(user).pw_gid
            argv += ["setpriv", f"--reuid={user}", f"--regid={gid}", "--clear-groups"]
        argv += [PYTHON, str(PROBE), json.dumps(flows)]
        result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def set_elements(self, name: str) -> list[str]:
        listing = json.loads(
            self.totem_exec("nft", "-j", "list", "set", "inet", "totem", name).stdout
        )
        for item in listing["nftables"]:
            if "set" in item:
                return [
                    e["elem"]["val"] if isinstance(e, dict) else e
                    for e in item["set"].get("elem", [])
                ]
        return []

    def wait_for(self, condition, what: str, seconds: float = 20) -> None:
        # imported here: this file also runs alone, as the listener, where tests/ is not on
        # the path
        from waiting import wait_until

        wait_until(condition, f"{what} (logs in {self.workdir})", seconds, interval=0.2)


def _run(*argv: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} failed: {result.stderr.strip()}")
    return result


# -- the listener, run inside a namespace ------------------------------------------------------
def _greet(connection: socket.socket) -> None:
    with connection:
        host, port = connection.getsockname()[:2]
        connection.settimeout(120)
        try:
            connection.sendall(f"hello {host} {port}\n".encode())
            while data := connection.recv(1024):
                connection.sendall(b"echo " + data)
        except OSError:
            pass


def _serve_tcp(port: int) -> None:
    server = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    server.bind(("::", port))
    server.listen(64)
    while True:
        connection, _ = server.accept()
        threading.Thread(target=_greet, args=(connection,), daemon=True).start()


def _serve_udp(address: str, port: int) -> None:
    # One socket per address, so replies leave from the address the request went to.
    server = socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_DGRAM)
    server.bind((address, port))
    while True:
        data, peer = server.recvfrom(2048)
        server.sendto(data, peer)


def listen(addresses: list[str]) -> None:
    for port in TCP_PORTS:
        threading.Thread(target=_serve_tcp, args=(port,), daemon=True).start()
    for address in addresses:
        for port in UDP_PORTS:
            threading.Thread(target=_serve_udp, args=(address, port), daemon=True).start()
    threading.Event().wait()


if __name__ == "__main__" and sys.argv[1:2] == ["listen"]:
    listen(sys.argv[2:])
