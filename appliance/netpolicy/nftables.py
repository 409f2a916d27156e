"""Rendering the allow-list as an nftables ruleset (`table inet totem`), and the fail-closed one.

Each file first creates then deletes `table inet totem` before defining it, so `nft -f` swaps
the whole table in one transaction and can be run again and again; other tables are left alone.
Addresses of allow-listed names arrive at run time: the local dnsmasq puts every address it
resolves into the set of the name's service (`tcp443_v4`, `tcp443_v6`, `udp123_v4`, ...).
"""

from __future__ import annotations

import ipaddress

from appliance.netpolicy.allowlist import AllowList, Destination

TABLE = "totem"
DNSMASQ_USER = "dnsmasq"
# Set entries outlive the resolver's TTLs (capped at dnsmasq.MAX_TTL), so an address a client
# still holds from the resolver is still admitted. dnsmasq adds an address only when it asks
# upstream (not when it answers from its cache) and re-adding does not renew an entry, so each
# new connection to an admitted address renews it (`update`): an address in use never lapses
# while a cached answer still points to it.
SET_TIMEOUT = 3600
LOG_RATE = "10/minute burst 5 packets"

_HEADER = f"""#!/usr/sbin/nft -f
# {{what}}
# Rendered by `totem netpolicy`; applied with `nft -f`, which replaces only this table.
table inet {TABLE}
delete table inet {TABLE}
"""


def set_name(protocol: str, port: int, family: int) -> str:
    """The set dnsmasq fills with the IPv4 (family 4) or IPv6 (6) addresses for a service."""
    return f"{protocol}{port}_v{family}"


def render_nftables(allowlist: AllowList, set_timeout: int = SET_TIMEOUT) -> str:
    """The full ruleset for `allowlist`."""
    lines = [_HEADER.format(what="Totem network lockdown: only the allow-list is reachable.")]
    lines.append(f"table inet {TABLE} {{")
    for protocol, port in allowlist.services:
        for family, kind in ((4, "ipv4_addr"), (6, "ipv6_addr")):
            lines.append(f"\tset {set_name(protocol, port, family)} {{")
            lines.append(f"\t\ttype {kind}")
            lines.append("\t\tflags dynamic, timeout")
            lines.append(f"\t\ttimeout {set_timeout}s")
            lines.append("\t}")
    lines += _counters()
    lines += _input_chain()
    lines += _output_chain(allowlist)
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_fail_closed() -> str:
    """Everything dropped but loopback: what stays when the real policy cannot be applied."""
    lines = [_HEADER.format(what="Totem network lockdown FAILED CLOSED: only loopback works.")]
    lines.append(f"table inet {TABLE} {{")
    lines += _counters()
    for chain, hook, interface in (("input", "input", "iif"), ("output", "output", "oif")):
        lines.append(f"\tchain {chain} {{")
        lines.append(f"\t\ttype filter hook {hook} priority filter; policy drop;")
        lines.append(f'\t\t{interface} "lo" accept')
        lines += _drop(chain)
        lines.append("\t}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _counters() -> list[str]:
    return ["\tcounter dropped_input {", "\t}", "\tcounter dropped_output {", "\t}"]


def _drop(chain: str) -> list[str]:
    """Count every drop, and log it at a bounded rate so a flood cannot fill the journal."""
    return [
        f'\t\tlimit rate {LOG_RATE} log prefix "totem-drop-{chain}: " level info',
        f"\t\tcounter name dropped_{chain} drop",
    ]


def _input_chain() -> list[str]:
    return [
        "\tchain input {",
        "\t\ttype filter hook input priority filter; policy drop;",
        '\t\tiif "lo" accept',
        "\t\tct state established,related accept",
        "\t\t# DHCP replies (the totem is a client; it offers nothing)",
        "\t\tudp sport 67 udp dport 68 accept",
        "\t\tip6 saddr fe80::/10 udp sport 547 udp dport 546 accept",
        "\t\t# Neighbour discovery and router adverts: IPv6 does not work without them",
        "\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert }"
        " ip6 hoplimit 255 accept",
        "\t\ticmpv6 type { mld-listener-query } ip6 saddr fe80::/10 accept",
        *_drop("input"),
        "\t}",
    ]


def _output_chain(allowlist: AllowList) -> list[str]:
    lines = [
        "\tchain output {",
        "\t\ttype filter hook output priority filter; policy drop;",
        '\t\toif "lo" accept',
        "\t\tct state established,related accept",
        "\t\t# DHCP requests",
        "\t\tudp sport 68 udp dport 67 accept",
        "\t\tudp sport 546 udp dport 547 accept",
        "\t\t# What IPv6 needs: neighbour and router solicitation, multicast listener reports",
        "\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit,"
        " mld-listener-report, mld2-listener-report } accept",
        "\t\t# DNS only from the local resolver's user, only to the configured servers",
    ]
    for family, keyword in ((4, "ip"), (6, "ip6")):
        servers = [r for r in allowlist.resolvers if ipaddress.ip_address(r).version == family]
        if servers:
            lines.append(
                f'\t\tmeta skuid "{DNSMASQ_USER}" {keyword} daddr {_elements(servers)}'
                " meta l4proto { tcp, udp } th dport 53 accept"
            )
    lines.append("\t\t# Allow-listed names, by the addresses the resolver found for them")
    for protocol, port in allowlist.services:
        for family, keyword in ((4, "ip"), (6, "ip6")):
            name = set_name(protocol, port, family)
            lines.append(
                f"\t\t{keyword} daddr @{name} {protocol} dport {port}"
                f" update @{name} {{ {keyword} daddr }} accept"
            )
    if allowlist.networks:
        lines.append("\t\t# Addresses the configuration names literally")
    for destination in allowlist.networks:
        lines.append(_literal_rule(destination))
    lines += _drop("output")
    lines.append("\t}")
    return lines


def _literal_rule(destination: Destination) -> str:
    network = ipaddress.ip_network(destination.pattern)
    keyword = "ip" if network.version == 4 else "ip6"
    return (
        f"\t\t{keyword} daddr {network} {destination.protocol} dport {destination.port} accept"
        f"  # {destination.origin}"
    )


def _elements(values: list[str]) -> str:
    return values[0] if len(values) == 1 else "{ " + ", ".join(values) + " }"
