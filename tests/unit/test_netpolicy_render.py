"""What the rendered nftables ruleset and dnsmasq configuration say, line by line.

Whether they work is proved in tests/integration/test_netpolicy_*.py with the real nft and
dnsmasq; here, the properties a reviewer would look for in the files.
"""

from __future__ import annotations

import re

from appliance.config import parse_config
from appliance.netpolicy.allowlist import compute_allowlist
from appliance.netpolicy.dnsmasq import MAX_TTL, render_dnsmasq
from appliance.netpolicy.nftables import SET_TIMEOUT, render_fail_closed, render_nftables

CONFIG = """
[hub]
url = "https://hub.mairie.fr:8750"

[network]
allow = ["www.service-public.fr", "*.ville.fr", "www.ville.fr", "http://vieux.site.fr"]
dns = ["192.0.2.53", "2001:db8::53"]
ntp = ["ntp.ville.fr"]
allow_ips = ["198.51.100.0/24"]
"""


def render(config: str = CONFIG) -> tuple[str, str]:
    allowlist = compute_allowlist(parse_config(config))
    return render_nftables(allowlist), render_dnsmasq(allowlist)


def chain(ruleset: str, name: str) -> list[str]:
    body = ruleset.split(f"chain {name} {{")[1].split("\n\t}")[0]
    return [line.strip() for line in body.splitlines() if line.strip()]


def test_the_ruleset_replaces_only_its_own_table_in_one_file():
    nft, _ = render()
    lines = [line for line in nft.splitlines() if line and not line.startswith("#")]
    assert lines[:3] == ["table inet totem", "delete table inet totem", "table inet totem {"]
    assert "flush ruleset" not in nft
    assert re.findall(r"^(?:delete )?table (\S+ \S+)", nft, re.M) == ["inet totem"] * 3


def test_both_chains_drop_by_default_and_count_and_log_every_drop():
    nft, _ = render()
    for name in ("input", "output"):
        rules = chain(nft, name)
        assert rules[0] == f"type filter hook {name} priority filter; policy drop;"
        assert (
            rules[-2].startswith("limit rate") and f'log prefix "totem-drop-{name}: "' in rules[-2]
        )
        assert rules[-1] == f"counter name dropped_{name} drop"


def test_inbound_admits_only_replies_dhcp_and_neighbour_discovery():
    rules = chain(render()[0], "input")
    accepted = [rule for rule in rules if rule.endswith("accept")]
    assert accepted == [
        'iif "lo" accept',
        "ct state established,related accept",
        "udp sport 67 udp dport 68 accept",
        "ip6 saddr fe80::/10 udp sport 547 udp dport 546 accept",
        "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert }"
        " ip6 hoplimit 255 accept",
        "icmpv6 type { mld-listener-query } ip6 saddr fe80::/10 accept",
    ]


def test_dns_leaves_only_from_the_resolvers_user_to_the_configured_servers():
    rules = chain(render()[0], "output")
    dns = [rule for rule in rules if "dport 53" in rule]
    assert dns == [
        'meta skuid "dnsmasq" ip daddr 192.0.2.53 meta l4proto { tcp, udp } th dport 53 accept',
        'meta skuid "dnsmasq" ip6 daddr 2001:db8::53 meta l4proto { tcp, udp } th dport 53 accept',
    ]


def test_each_service_has_an_ipv4_and_an_ipv6_set_outliving_the_resolvers_ttl():
    nft, _ = render()
    sets = re.findall(
        r"set (\w+) \{\n\t\ttype (\w+)\n\t\tflags dynamic, timeout\n"
        r"\t\ttimeout (\d+)s",
        nft,
    )
    assert [(name, kind) for name, kind, _ in sets] == [
        ("tcp80_v4", "ipv4_addr"),
        ("tcp80_v6", "ipv6_addr"),
        ("tcp443_v4", "ipv4_addr"),
        ("tcp443_v6", "ipv6_addr"),
        ("tcp8750_v4", "ipv4_addr"),
        ("tcp8750_v6", "ipv6_addr"),
        ("udp123_v4", "ipv4_addr"),
        ("udp123_v6", "ipv6_addr"),
    ]
    assert all(int(timeout) == SET_TIMEOUT > MAX_TTL for _, _, timeout in sets)
    assert "ip daddr @tcp443_v4 tcp dport 443 update @tcp443_v4 { ip daddr } accept" in nft
    assert "ip6 daddr @udp123_v6 udp dport 123 update @udp123_v6 { ip6 daddr } accept" in nft


def test_literal_addresses_only_come_from_their_key():
    rules = chain(render()[0], "output")
    literal = [rule for rule in rules if "198.51.100" in rule]
    assert literal == ["ip daddr 198.51.100.0/24 tcp dport 443 accept  # network.allow_ips[0]"]
    assert not any("0.0.0.0/0" in rule or "::/0" in rule for rule in rules)


def test_the_fail_closed_table_keeps_only_loopback():
    fail_closed = render_fail_closed()
    assert chain(fail_closed, "input")[1] == 'iif "lo" accept'
    assert chain(fail_closed, "output")[1] == 'oif "lo" accept'
    accepted = [line for line in fail_closed.splitlines() if line.strip().endswith("accept")]
    assert len(accepted) == 2
    assert "delete table inet totem" in fail_closed


def test_the_resolver_listens_on_loopback_only_and_drops_privileges():
    _, conf = render()
    options = conf.splitlines()
    assert [o for o in options if o.startswith("listen-address")] == [
        "listen-address=127.0.0.1",
        "listen-address=::1",
    ]
    assert {"bind-interfaces", "user=dnsmasq", "no-resolv", "no-hosts", "pid-file="} <= set(options)
    assert not any(o.startswith(("dhcp-range", "interface=", "resolv-file")) for o in options)


def test_unlisted_names_get_nxdomain_and_listed_ones_go_to_every_configured_server():
    _, conf = render()
    assert "address=/#/" in conf.splitlines()
    assert "server=/www.service-public.fr/192.0.2.53" in conf
    assert "server=/www.service-public.fr/2001:db8::53" in conf
    assert "server=/*.ville.fr/192.0.2.53" in conf
    servers = [line for line in conf.splitlines() if line.startswith("server=")]
    assert not [line for line in servers if line.count("/") != 2]  # no catch-all upstream


def test_an_exact_name_does_not_admit_its_subdomains_unless_a_star_entry_does():
    _, conf = render()
    assert "address=/*.www.service-public.fr/" in conf  # blocked: only the name itself
    assert "address=/*.www.ville.fr/" not in conf  # *.ville.fr admits them


def test_each_name_fills_the_sets_of_every_entry_that_admits_it():
    _, conf = render()
    nftsets = dict(
        line[len("nftset=/") :].split("/")
        for line in conf.splitlines()
        if line.startswith("nftset=")
    )
    assert nftsets["hub.mairie.fr"] == "4#inet#totem#tcp8750_v4,6#inet#totem#tcp8750_v6"
    assert nftsets["ntp.ville.fr"] == (
        "4#inet#totem#tcp443_v4,6#inet#totem#tcp443_v6,"
        "4#inet#totem#udp123_v4,6#inet#totem#udp123_v6"
    )  # it is also under *.ville.fr
    assert nftsets["vieux.site.fr"].startswith("4#inet#totem#tcp80_v4,6#inet#totem#tcp80_v6,")
    assert "ville.fr" in nftsets  # the *.ville.fr entry's own line


def test_the_resolver_caps_ttls_below_the_sets_timeout():
    _, conf = render()
    assert f"max-cache-ttl={MAX_TTL}" in conf and f"max-ttl={MAX_TTL}" in conf
    assert MAX_TTL < SET_TIMEOUT


def test_rendering_is_deterministic():
    assert render() == render()
    reordered = CONFIG.replace(
        '"www.service-public.fr", "*.ville.fr"', '"*.ville.fr", "www.service-public.fr"'
    )
    assert render(reordered) == render()


def test_a_pinned_name_is_answered_by_the_resolver_itself_and_opened_at_its_address():
    ruleset, conf = render(
        CONFIG.replace('allow = ["', 'allow = ["portail.mairie.lan", "')
        + 'hosts = ["192.168.1.20 portail.mairie.lan", "192.168.1.21 a.ville.fr"]\n'
    )
    lines = conf.splitlines()
    assert "host-record=portail.mairie.lan,192.168.1.20" in lines
    assert "host-record=a.ville.fr,192.168.1.21" in lines
    # Never asked upstream: the town hall's DNS servers do not know it.
    assert not [line for line in lines if line.startswith("server=/portail.mairie.lan/")]
    assert "ip daddr 192.168.1.20/32 tcp dport 443 accept  # network.hosts[0]" in chain(
        ruleset, "output"
    )
