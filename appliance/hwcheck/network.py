"""Network: a link with an address, the resolver answering, the hub reachable over HTTPS,
the network policy applied. The outbox keeps submissions through outages, so network
trouble is a warning for the technician, not an out-of-service screen.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import struct

from appliance.hwcheck.context import CheckContext
from appliance.hwcheck.result import CheckResult, fail, ok, skip, warn

NETPOLICY_STATE = "run/totem/netpolicy.json"


def parse_fib_trie(text: str) -> list[str]:
    """Local IPv4 addresses (not loopback) from /proc/net/fib_trie."""
    addresses, last = [], None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("|--", "+--")):
            last = stripped[3:].split()[0]
        elif "/32 host LOCAL" in stripped and last and not last.startswith("127."):
            if last not in addresses:
                addresses.append(last)
    return addresses


def parse_if_inet6(text: str) -> list[str]:
    """Global IPv6 addresses (scope 00, not loopback) from /proc/net/if_inet6."""
    addresses = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 6 and fields[3] == "00" and fields[5] != "lo":
            address = ipaddress.IPv6Address(int(fields[0], 16))
            addresses.append(str(address))
    return addresses


def has_default_route(route_text: str) -> bool:
    for line in route_text.splitlines()[1:]:
        fields = line.split()
        if len(fields) > 2 and fields[1] == "00000000" and fields[0] != "lo":
            return True
    return False


def evaluate_link(links: dict[str, str], addresses: list[str], default_route: bool) -> CheckResult:
    details = {"links": links, "addresses": addresses, "default_route": default_route}
    up = [name for name, state in links.items() if state == "up"]
    if not up:
        return fail(
            "network.link",
            "E-NET",
            "Aucune connexion réseau (câble ou Wi-Fi).",
            "No network link (cable or Wi-Fi).",
            **details,
        )
    if not addresses:
        return warn(
            "network.link",
            "W-NET-ADDR",
            "Réseau connecté mais sans adresse (DHCP ?).",
            "Network link up but no address (DHCP?).",
            **details,
        )
    if not default_route:
        return warn(
            "network.link", "W-NET-ADDR", "Pas de route par défaut.", "No default route.", **details
        )
    return ok(
        "network.link",
        f"Réseau : {', '.join(up)} ({addresses[0]}).",
        f"Network: {', '.join(up)} ({addresses[0]}).",
        **details,
    )


def check_link(ctx: CheckContext) -> CheckResult:
    links = {}
    for path in ctx.sysroot.glob("sys/class/net/*"):
        if path.name == "lo":
            continue
        state = (ctx.sysroot.read(f"{path}/operstate") or "unknown").strip()
        if state == "unknown" and (ctx.sysroot.read(f"{path}/carrier") or "").strip() == "1":
            state = "up"  # some drivers (and tun/veth) never report operstate
        links[path.name] = state
    addresses = parse_fib_trie(ctx.sysroot.read("proc/net/fib_trie") or "")
    addresses += parse_if_inet6(ctx.sysroot.read("proc/net/if_inet6") or "")
    route = has_default_route(ctx.sysroot.read("proc/net/route") or "") or any(
        line.startswith("00000000000000000000000000000000 00")
        for line in (ctx.sysroot.read("proc/net/ipv6_route") or "").splitlines()
        if not line.endswith(" lo")
    )
    return evaluate_link(links, addresses, route)


def dns_query(name: str, query_id: int) -> bytes:
    """A minimal recursive A query; any well-formed answer (even NXDOMAIN) proves the
    resolver is alive."""
    header = struct.pack(">HHHHHH", query_id, 0x0100, 1, 0, 0, 0)
    labels = b"".join(bytes([len(p)]) + p.encode("idna") for p in name.strip(".").split(".") if p)
    return header + labels + b"\x00" + struct.pack(">HH", 1, 1)


def resolver_address(resolv_conf: str) -> str:
    for line in resolv_conf.splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[0] == "nameserver":
            return fields[1]
    return "127.0.0.1"  # what glibc uses without a nameserver line


def ask_resolver(server: str, name: str, timeout: float = 3.0, port: int = 53) -> str | None:
    """None when the resolver answered, else why not."""
    query_id = int.from_bytes(os.urandom(2), "big")
    family = socket.AF_INET6 if ":" in server else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as sock:
            sock.settimeout(timeout)
            sock.connect((server, port))
            sock.send(dns_query(name, query_id))
            while True:
                answer = sock.recv(4096)
                if len(answer) >= 12 and int.from_bytes(answer[:2], "big") == query_id:
                    return None
    except TimeoutError:
        return f"no answer from {server} within {timeout:g} s"
    except OSError as error:
        return f"{server}: {error.strerror or error}"


def check_resolver(ctx: CheckContext) -> CheckResult:
    if not ctx.live:
        return skip(
            "network.dns",
            "Pas de test réseau sur un relevé.",
            "No live network probe on a recorded tree.",
        )
    server = resolver_address(ctx.sysroot.read("etc/resolv.conf") or "")
    name = ctx.config.hub_host if ctx.config is not None and ctx.config.hub_host else "localhost"
    why = ask_resolver(server, name)
    if why:
        return fail(
            "network.dns",
            "E-DNS",
            f"Le résolveur DNS ({server}) ne répond pas.",
            f"The DNS resolver ({server}) does not answer.",
            server=server,
            why=why,
        )
    return ok(
        "network.dns",
        f"Le résolveur DNS ({server}) répond.",
        f"The DNS resolver ({server}) answers.",
        server=server,
        name=name,
    )


def check_hub(ctx: CheckContext) -> CheckResult:
    if not ctx.live:
        return skip(
            "network.hub",
            "Pas de test réseau sur un relevé.",
            "No live network probe on a recorded tree.",
        )
    if ctx.config is None:
        return skip(
            "network.hub",
            "Configuration illisible : adresse du hub inconnue.",
            "Configuration unreadable: hub address unknown.",
        )
    import requests

    url = ctx.config.hub["url"]
    verify = ctx.config.hub.get("ca_bundle") or True
    try:
        # any HTTP answer proves the hub's host is reachable and its certificate trusted
        response = requests.get(url, timeout=(5, 10), verify=verify, allow_redirects=False)
    except requests.exceptions.SSLError as error:
        return fail(
            "network.hub",
            "E-HUB-TLS",
            "Certificat du hub refusé.",
            "The hub's certificate was refused.",
            url=url,
            why=str(error)[:300],
        )
    except (requests.RequestException, OSError) as error:
        return warn(
            "network.hub",
            "W-HUB",
            "Hub injoignable.",
            "Hub unreachable.",
            url=url,
            why=type(error).__name__ + ": " + str(error)[:300],
        )
    return ok(
        "network.hub", "Hub joignable.", "Hub reachable.", url=url, http_status=response.status_code
    )


def evaluate_policy(state: dict | None) -> CheckResult:
    if state is None:
        return skip(
            "network.policy",
            "Filtrage réseau jamais appliqué sur cette machine.",
            "Network policy never applied on this machine.",
        )
    details = {"state": state.get("state"), "at": state.get("at"), "reason": state.get("reason")}
    if state.get("state") == "applied":
        return ok("network.policy", "Filtrage réseau actif.", "Network policy active.", **details)
    return fail(
        "network.policy",
        "E-NETPOLICY",
        "Filtrage réseau en échec : tout est bloqué sauf la boucle locale.",
        f"Network policy failed closed: {state.get('reason') or 'unknown reason'}.",
        **details,
    )


def check_policy(ctx: CheckContext) -> CheckResult:
    try:
        from appliance.netpolicy.status import read_state
    except ImportError:
        return skip("network.policy", "Module de filtrage absent.", "Network policy not installed.")
    return evaluate_policy(read_state(ctx.sysroot.path(NETPOLICY_STATE)))
