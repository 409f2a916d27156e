"""A larger table of flows a citizen or a web page could try, each with the outcome it must get.

The policy is the one `totem netpolicy render` writes, applied by hand in a fresh namespace;
every allow-listed name has been resolved first, so its addresses are in the sets and only
the firewall's port and protocol rules stand between a flow and the world.
"""

from __future__ import annotations

import shutil

import pytest
from netpolicy_world import (
    ANY_NAME_V4,
    HOSTS,
    RESOLVER_V4,
    RESOLVER_V6,
    ROGUE_RESOLVER_V4,
    ROGUE_RESOLVER_V6,
    WORLD_V4,
    WORLD_V6,
    World,
)

pytestmark = [
    pytest.mark.root,
    pytest.mark.skipif(
        not (shutil.which("nft") and shutil.which("dnsmasq")), reason="needs nft and dnsmasq"
    ),
]

HUB4, HUB6 = HOSTS["hub.totem.test"]
WWW4, WWW6 = HOSTS["www.allowed.test"]
NTP4, NTP6 = HOSTS["ntp.totem.test"]
EVIL4, EVIL6 = HOSTS["evil.test"]
PASSED, BLOCKED = "passed", "blocked"

# (what is tried, flow, expected)
FLOWS = [
    ("HTTPS to the hub over IPv4", ("tcp", HUB4, 443), PASSED),
    ("HTTPS to the hub over IPv6", ("tcp", HUB6, 443), PASSED),
    ("HTTPS to an allowed site over IPv6", ("tcp", WWW6, 443), PASSED),
    ("HTTPS to a subdomain of a *. entry", ("tcp", HOSTS["a.wild.test"][0], 443), PASSED),
    ("HTTP to a host listed as http://", ("tcp", HOSTS["plain.allowed.test"][0], 80), PASSED),
    ("NTP to the NTP host over IPv6", ("udp", NTP6, 123), PASSED),
    ("SSH to the hub", ("tcp", HUB4, 22), BLOCKED),
    ("HTTP to an https-only site", ("tcp", WWW4, 80), BLOCKED),
    ("HTTP to an https-only site over IPv6", ("tcp", WWW6, 80), BLOCKED),
    ("QUIC (UDP 443) to an allowed site", ("udp", WWW4, 443), BLOCKED),
    ("QUIC (UDP 443) to the hub over IPv6", ("udp", HUB6, 443), BLOCKED),
    ("alternate HTTPS port on an allowed site", ("tcp", WWW4, 8443), BLOCKED),
    ("proxy port on the hub", ("tcp", HUB6, 8080), BLOCKED),
    ("DNS over TLS to an allowed site", ("tcp", WWW4, 853), BLOCKED),
    ("UDP to an allowed site", ("udp", WWW6, 5000), BLOCKED),
    ("HTTPS to the apex of a *. entry", ("tcp", HOSTS["wild.test"][0], 443), BLOCKED),
    ("HTTPS to a non-listed IPv4 literal", ("tcp", EVIL4, 443), BLOCKED),
    ("HTTPS to a non-listed IPv6 literal", ("tcp", EVIL6, 443), BLOCKED),
    ("HTTPS to the address the world gives unknown names", ("tcp", ANY_NAME_V4, 443), BLOCKED),
    ("HTTPS to the world's router", ("tcp", WORLD_V4, 443), BLOCKED),
    ("HTTPS to the world's router over IPv6", ("tcp", WORLD_V6, 443), BLOCKED),
    (
        "HTTPS to a non-listed address in IPv4-mapped IPv6 form",
        ("tcp", f"::ffff:{EVIL4}", 443),
        BLOCKED,
    ),
    ("plain DNS over UDP to the town hall resolver", ("dns", RESOLVER_V4, 53), BLOCKED),
    ("plain DNS over TCP to the town hall resolver", ("dnstcp", RESOLVER_V4, 53), BLOCKED),
    ("plain DNS over UDP to the town hall resolver (IPv6)", ("dns", RESOLVER_V6, 53), BLOCKED),
    ("plain DNS over TCP to a rogue resolver (IPv6)", ("dnstcp", ROGUE_RESOLVER_V6, 53), BLOCKED),
    ("plain DNS over UDP to a rogue resolver", ("dns", ROGUE_RESOLVER_V4, 53), BLOCKED),
    ("DNS over TLS to the town hall resolver", ("tcp", RESOLVER_V4, 853), BLOCKED),
    ("DNS over HTTPS to a rogue resolver", ("tcp", ROGUE_RESOLVER_V4, 443), BLOCKED),
    ("DNS over HTTPS to a rogue resolver (IPv6)", ("tcp", ROGUE_RESOLVER_V6, 443), BLOCKED),
    ("NTP to a rogue time server", ("udp", HOSTS["rogue-ntp.test"][0], 123), BLOCKED),
    ("NTP to an allowed web site", ("udp", WWW4, 123), BLOCKED),
    ("HTTPS to the NTP host", ("tcp", NTP4, 443), BLOCKED),
    ("NTP to the town hall resolver", ("udp", RESOLVER_V4, 123), BLOCKED),
]

# Names that look allowed, or try to smuggle data out through the resolver
NAMES = [
    "evil.test",
    "hub.totem.test.evil.test",
    "dns.evil.test",
    "sub.www.allowed.test",
    "www.allowed.test.",
    "wild.test",
    "xwild.test",
    "allowed.test",
    "totem.test",
    "c2VjcmV0.exfil.evil.test",
    "localhost.evil.test",
    "1.1.1.1.in-addr.arpa",
]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    world = World(tmp_path_factory.mktemp("hostile")).start()
    try:
        world.apply_by_hand(world.render())
        names = [
            "hub.totem.test",
            "www.allowed.test",
            "a.wild.test",
            "plain.allowed.test",
            "ntp.totem.test",
        ]
        world.probe(
            [
                {"op": "dns", "name": n, "qtype": q, "server": "127.0.0.1"}
                for n in names
                for q in ("A", "AAAA")
            ]
        )
        yield world
    finally:
        world.close()


def _as_probe(kind: str, host: str, port: int) -> dict:
    if kind in ("dns", "dnstcp"):
        return {
            "op": "dns",
            "name": "evil.test",
            "server": host,
            "port": port,
            "tcp": kind == "dnstcp",
        }
    return {"op": kind, "host": host, "port": port}


def _outcome(result: dict) -> str:
    if "rcode" in result:
        return PASSED if result["rcode"] is not None else BLOCKED
    return PASSED if result["result"] in ("open", "reply") else BLOCKED


def test_every_flow_in_the_table_gets_its_expected_outcome(world):
    results = world.probe([_as_probe(*flow) for _, flow, _ in FLOWS])
    wrong = [
        f"{what}: {_outcome(result)}, expected {expected}"
        for (what, _, expected), result in zip(FLOWS, results, strict=True)
        if _outcome(result) != expected
    ]
    assert wrong == []


@pytest.mark.parametrize("name", NAMES)
def test_names_outside_the_allow_list_get_nxdomain(world, name):
    udp, tcp, aaaa = world.probe(
        [
            {"op": "dns", "name": name, "server": "127.0.0.1"},
            {"op": "dns", "name": name, "server": "::1", "tcp": True},
            {"op": "dns", "name": name, "qtype": "AAAA", "server": "127.0.0.1"},
        ]
    )
    if name == "www.allowed.test.":  # the same name written with its root dot is allowed
        assert udp["rcode"] == 0 and tcp["rcode"] == 0
        return
    assert (udp["rcode"], tcp["rcode"], aaaa["rcode"]) == (3, 3, 3)


def test_no_ping_leaves_even_to_allowed_hosts(world):
    for address in (HUB4, HUB6, EVIL4):
        ping = world.totem_exec("ping", "-c", "1", "-W", "1", address, check=False)
        assert ping.returncode != 0, address
    # the same ping from the world side of the link does reach the hub's address
    assert world.world_exec("ping", "-c", "1", "-W", "1", HUB4, check=False).returncode == 0
