"""Rendering the allow-list as the local resolver's configuration (dnsmasq ≥ 2.87).

dnsmasq listens on loopback only, forwards allow-listed names to the configured servers,
answers NXDOMAIN for every other name, and puts each address it resolves into the nftables
set of the name's services, which is what opens the firewall to it. The file runs as is:
`dnsmasq --keep-in-foreground --conf-file=DIR/dnsmasq.conf`.

dnsmasq matches a domain and all its subdomains; `*.domain` matches subdomains only. An
exact entry therefore also gets an NXDOMAIN rule for its subdomains, unless a `*.` entry
admits them. For the sets, dnsmasq uses the longest matching `nftset=` domain only, so each
domain's line carries the sets of every entry that admits names under it.

A name `network.hosts` pins is answered from its `host-record`, which wins over the other
rules; when the pin names an allowed name itself (not one under a `*.` entry) the name is
not forwarded at all, so no query for it waits on a server that does not know it. (Its
parent domains then exist for dnsmasq: NODATA instead of NXDOMAIN, still no address.)
"""

from __future__ import annotations

from collections import defaultdict

from appliance.netpolicy.allowlist import AllowList, Destination
from appliance.netpolicy.nftables import DNSMASQ_USER, SET_TIMEOUT, TABLE, set_name

# Answers are cached and handed out for at most this long, well inside the sets' timeout
# (nftables.SET_TIMEOUT), so a client never holds an address its set has forgotten.
MAX_TTL = min(300, SET_TIMEOUT // 4)
NEGATIVE_TTL = 60


def render_dnsmasq(allowlist: AllowList, group: str = "nogroup") -> str:
    names = allowlist.names
    lines = [
        "# Totem local resolver: answers only allow-listed names, NXDOMAIN for everything else.",
        "# Rendered by `totem netpolicy`; run as",
        "#   dnsmasq --keep-in-foreground --conf-file=THIS_FILE",
        "port=53",
        "listen-address=127.0.0.1",
        "listen-address=::1",
        "bind-interfaces",
        f"user={DNSMASQ_USER}",
        f"group={group}",
        "pid-file=",
        "# Upstream servers come from totem.toml only; no hosts file, no DHCP (no dhcp-range).",
        "no-resolv",
        "no-poll",
        "no-hosts",
        "domain-needed",
        "bogus-priv",
        "cache-size=1000",
        f"max-ttl={MAX_TTL}",
        f"max-cache-ttl={MAX_TTL}",
        f"neg-ttl={NEGATIVE_TTL}",
        "log-facility=-",
        "# Every name not matched below: NXDOMAIN.",
        "address=/#/",
    ]
    if not allowlist.resolvers:
        lines.append("# No DNS server known yet (network.dns empty, no DHCP lease): all NXDOMAIN.")
    pinned = dict(allowlist.pinned)
    for name, address in sorted(pinned.items()):
        lines.append(f"host-record={name},{address}")
    for destination in _patterns(names):
        for server in allowlist.resolvers if destination.pattern not in pinned else ():
            lines.append(f"server=/{destination.pattern}/{server}")
        if not destination.is_wildcard and not _subdomains_admitted(destination.base, names):
            lines.append(f"address=/*.{destination.base}/")
    for domain, services in sorted(_sets_by_domain(names).items()):
        sets = ",".join(
            f"{family}#inet#{TABLE}#{set_name(protocol, port, family)}"
            for protocol, port in sorted(services)
            for family in (4, 6)
        )
        lines.append(f"nftset=/{domain}/{sets}")
    return "\n".join(lines) + "\n"


def _patterns(names: tuple[Destination, ...]) -> list[Destination]:
    """One destination per distinct pattern, in a stable order."""
    seen: dict[str, Destination] = {}
    for destination in names:
        seen.setdefault(destination.pattern, destination)
    return [seen[pattern] for pattern in sorted(seen)]


def _admits_below(wildcard: Destination, domain: str) -> bool:
    """Whether the `*.` entry admits the subdomains of `domain`."""
    return wildcard.is_wildcard and (
        domain == wildcard.base or domain.endswith("." + wildcard.base)
    )


def _subdomains_admitted(domain: str, names: tuple[Destination, ...]) -> bool:
    return any(_admits_below(other, domain) for other in names)


def _sets_by_domain(names: tuple[Destination, ...]) -> dict[str, set[tuple[str, int]]]:
    services: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for destination in names:
        services[destination.base].add((destination.protocol, destination.port))
    for domain in list(services):
        for other in names:
            if other.is_wildcard and domain.endswith("." + other.base):
                services[domain].add((other.protocol, other.port))
    return services
