"""The rendered policy, applied by hand in a fresh namespace, lets through exactly the allow-list.

Files come from `totem netpolicy render --config F --out DIR`; they are applied as the contract
says (`nft -f DIR/nftables.conf`, `dnsmasq --keep-in-foreground --conf-file=DIR/dnsmasq.conf`)
in a totem namespace whose only link leads to a world namespace (see netpolicy_world.py).
"""

from __future__ import annotations

import shutil

import pytest
from netpolicy_world import (
    ANY_NAME_V4,
    HOSTS,
    PINNED,
    RESOLVER_V4,
    RESOLVER_V6,
    ROGUE_RESOLVER_V4,
    ROGUE_RESOLVER_V6,
    TOTEM_V4,
    TOTEM_V6,
    World,
)

pytestmark = [
    pytest.mark.root,
    pytest.mark.skipif(
        not (shutil.which("nft") and shutil.which("dnsmasq")), reason="needs nft and dnsmasq"
    ),
]

LOCAL = "127.0.0.1"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    world = World(tmp_path_factory.mktemp("netpolicy")).start()
    try:
        world.apply_by_hand(world.render())
        yield world
    finally:
        world.close()


def dns(name, qtype="A", server=LOCAL, **extra):
    return {"op": "dns", "name": name, "qtype": qtype, "server": server, **extra}


def tcp(host, port):
    return {"op": "tcp", "host": host, "port": port, "send": "ping"}


def udp(host, port):
    return {"op": "udp", "host": host, "port": port}


def resolve_all(world, *names):
    """Ask the local resolver for A and AAAA of `names` (which is what fills the sets)."""
    flows = [dns(name, qtype) for name in names for qtype in ("A", "AAAA")]
    return world.probe(flows)


def test_allowed_names_resolve_and_connect_on_443_over_ipv4_and_ipv6(world):
    answers = resolve_all(world, "hub.totem.test", "www.allowed.test")
    assert [a["addresses"] for a in answers] == [
        [HOSTS["hub.totem.test"][0]],
        [HOSTS["hub.totem.test"][1]],
        [HOSTS["www.allowed.test"][0]],
        [HOSTS["www.allowed.test"][1]],
    ]
    results = world.probe(
        [
            tcp(HOSTS["hub.totem.test"][0], 443),
            tcp(HOSTS["hub.totem.test"][1], 443),
            tcp(HOSTS["www.allowed.test"][0], 443),
            tcp(HOSTS["www.allowed.test"][1], 443),
        ]
    )
    assert [r["result"] for r in results] == ["open"] * 4
    assert all("echo ping" in r["reply"] for r in results)


def test_allowed_names_resolve_over_tcp_too(world):
    answers = world.probe(
        [dns("www.allowed.test", tcp=True), dns("a.wild.test", "A", "::1", tcp=True)]
    )
    assert [a["addresses"] for a in answers] == [
        [HOSTS["www.allowed.test"][0]],
        [HOSTS["a.wild.test"][0]],
    ]


def test_the_system_resolver_goes_through_the_local_one(world):
    (answer,) = world.probe([{"op": "resolve", "name": "www.allowed.test"}])
    assert answer["addresses"] == sorted(HOSTS["www.allowed.test"])
    (answer,) = world.probe([{"op": "resolve", "name": "evil.test"}])
    assert answer["addresses"] == []


def test_a_pinned_name_is_answered_by_the_totem_and_reached_at_its_address(world):
    intranet, elsewhere = PINNED["portail.intranet.test"], PINNED["pinned.evil.test"]
    answers = world.probe(
        [
            dns("portail.intranet.test"),
            dns("portail.intranet.test", "AAAA"),
            dns("portail.intranet.test", tcp=True),
            {"op": "resolve", "name": "portail.intranet.test"},
            dns("pinned.evil.test"),  # pinned, but nothing allows it
            dns("intranet.test"),  # the pinned name's parent: no address either
        ]
    )
    assert [a["addresses"] for a in answers] == [[intranet], [], [intranet], [intranet], [], []]
    assert answers[1]["rcode"] == 0 and answers[4]["rcode"] == 3
    results = world.probe([tcp(intranet, 443), tcp(intranet, 80), tcp(elsewhere, 443)])
    assert [r["result"] for r in results] == ["open", "timeout", "timeout"]


def test_other_names_get_nxdomain(world):
    names = [
        "evil.test",
        "hub.totem.test.evil.test",
        "dns.evil.test",
        "sub.www.allowed.test",
        "xhub.totem.test",
        "google.com",
    ]
    answers = world.probe([dns(name) for name in names] + [dns(name, tcp=True) for name in names])
    assert [a["rcode"] for a in answers] == [3] * (2 * len(names))
    assert all(a["addresses"] == [] for a in answers)


def test_a_direct_connection_to_a_non_listed_address_fails(world):
    evil4, evil6 = HOSTS["evil.test"]
    results = world.probe([tcp(evil4, 443), tcp(evil6, 443), tcp(evil4, 80), tcp(ANY_NAME_V4, 443)])
    assert all(r["result"] in ("timeout", "error") for r in results)


def test_the_resolver_cannot_be_bypassed(world):
    flows = []
    for server in (RESOLVER_V4, RESOLVER_V6, ROGUE_RESOLVER_V4, ROGUE_RESOLVER_V6):
        flows += [dns("evil.test", server=server), dns("evil.test", server=server, tcp=True)]
        flows.append(tcp(server, 853))  # DNS over TLS
        flows.append(tcp(server, 443))  # DNS over HTTPS
    answers = world.probe(flows)
    assert all(a.get("rcode") is None for a in answers if "rcode" in a), answers
    assert all(a["result"] != "open" for a in answers if "result" in a), answers


def test_even_the_resolvers_user_reaches_only_the_configured_servers(world):
    answers = world.probe(
        [
            dns("evil.test", server=ROGUE_RESOLVER_V4),
            dns("evil.test", server=ROGUE_RESOLVER_V6),
            dns("evil.test", server=ROGUE_RESOLVER_V4, tcp=True),
        ],
        user="dnsmasq",
    )
    assert [a["rcode"] for a in answers] == [None, None, None]


def test_other_ports_on_allowed_hosts_fail(world):
    resolve_all(world, "hub.totem.test", "www.allowed.test")
    hub4, hub6 = HOSTS["hub.totem.test"]
    flows = [tcp(hub4, port) for port in (22, 80, 853, 8080, 8443)]
    flows += [tcp(hub6, port) for port in (22, 80, 8443)]
    flows += [udp(hub4, 443), udp(hub6, 443), udp(hub4, 123)]  # QUIC, NTP to a web host
    results = world.probe(flows)
    assert all(r["result"] in ("timeout", "error") for r in results), results


def test_http_is_admitted_only_for_hosts_listed_as_http(world):
    resolve_all(world, "plain.allowed.test", "www.allowed.test")
    results = world.probe(
        [tcp(HOSTS["plain.allowed.test"][0], 80), tcp(HOSTS["www.allowed.test"][0], 80)]
    )
    assert [r["result"] for r in results] == ["open", "timeout"]


def test_a_star_entry_admits_subdomains_and_not_the_domain_itself(world):
    answers = world.probe(
        [dns("a.wild.test"), dns("deep.b.wild.test"), dns("wild.test"), dns("wild.test", "AAAA")]
    )
    assert [a["rcode"] for a in answers] == [0, 0, 3, 3]
    results = world.probe(
        [
            tcp(HOSTS["a.wild.test"][0], 443),
            tcp(HOSTS["deep.b.wild.test"][0], 443),
            tcp(HOSTS["wild.test"][0], 443),
            tcp(HOSTS["wild.test"][1], 443),
        ]
    )
    assert [r["result"] for r in results][:2] == ["open", "open"]
    assert all(r["result"] in ("timeout", "error") for r in results[2:])


def test_ntp_works_only_to_the_ntp_hosts(world):
    resolve_all(world, "ntp.totem.test", "rogue-ntp.test", "www.allowed.test")
    ntp4, ntp6 = HOSTS["ntp.totem.test"]
    rogue4, rogue6 = HOSTS["rogue-ntp.test"]
    results = world.probe(
        [
            udp(ntp4, 123),
            udp(ntp6, 123),
            udp(rogue4, 123),
            udp(rogue6, 123),
            udp(HOSTS["www.allowed.test"][0], 123),
            udp(ntp4, 5000),
            tcp(ntp4, 443),
        ]
    )
    assert [r["result"] for r in results][:2] == ["reply", "reply"]
    assert all(r["result"] in ("timeout", "error") for r in results[2:]), results


def test_nothing_inbound_reaches_the_totem(world):
    flows = [tcp(address, port) for address in (TOTEM_V4, TOTEM_V6) for port in (22, 443, 8080)]
    flows += [udp(TOTEM_V4, 123), udp(TOTEM_V6, 5000)]
    results = world.probe(flows, namespace=world.world)
    assert all(r["result"] == "timeout" for r in results), results
    ping = world.world_exec("ping", "-c", "1", "-W", "1", TOTEM_V4, check=False)
    assert ping.returncode != 0
    # the same listeners answer from inside the totem: only the firewall stood in the way
    assert world.probe([tcp("127.0.0.1", 8080)])[0]["result"] == "open"


def test_drops_are_counted_and_the_sets_hold_resolved_addresses(world):
    before = _dropped(world)
    world.probe([tcp(HOSTS["evil.test"][0], 443)])
    assert _dropped(world) > before
    resolve_all(world, "hub.totem.test")
    assert HOSTS["hub.totem.test"][0] in world.set_elements("tcp443_v4")
    assert HOSTS["hub.totem.test"][1] in world.set_elements("tcp443_v6")
    assert HOSTS["evil.test"][0] not in world.set_elements("tcp443_v4")


def _dropped(world) -> int:
    listing = world.totem_exec("nft", "list", "counter", "inet", "totem", "dropped_output").stdout
    return int(listing.split("packets")[1].split()[0])


def test_a_dhcp_client_still_gets_its_offer(world):
    (offer,) = world.probe([{"op": "dhcp", "interface": "veth-t"}])
    assert offer["result"] == "reply", offer
    assert offer["offered"].startswith("10.99.0.")
