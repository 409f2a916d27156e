"""The allow-list: every destination the totem may reach, computed once from totem.toml and content.

A destination is a name pattern (`www.example.fr`, or `*.example.fr` for every subdomain but
not the domain itself) or an IP network, with the protocol and port it may be reached on.
Names are reached through addresses the local resolver learns; networks are given literally,
and only by keys meant for them (`network.allow_ips`, or a hub/update/NTP server written as
an address by the installer). A name `network.hosts` pins to an address is answered by the
resolver itself and reached at that address, on the ports its allowed entries open.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from appliance.config import Config
from appliance.netpolicy.entries import (
    HTTP,
    HTTPS,
    NTP,
    Destination,
    PolicyError,
    destination,
    from_entry,
    from_url,
    host_record,
    normalise_name,
)

# Re-exported: what callers of the allow-list use of one entry's rules.
__all__ = [
    "HTTP",
    "HTTPS",
    "NTP",
    "AllowList",
    "Destination",
    "PolicyError",
    "compute_allowlist",
    "normalise_name",
]

# Wider than these, an allow_ips range is worth a second look (a warning, not a refusal):
# a town hall's own servers fit in a /24 (IPv4) or a /48 (IPv6).
WIDE_PREFIX = {4: 24, 6: 48}


@dataclass(frozen=True)
class AllowList:
    destinations: tuple[Destination, ...]
    resolvers: tuple[str, ...]  # upstream DNS servers, as IP addresses
    skipped: tuple[str, ...] = ()  # why content site tiles were left out
    pinned: tuple[tuple[str, str], ...] = ()  # (name, address) from network.hosts

    @property
    def warnings(self) -> tuple[str, ...]:
        """Admitted, but wide: address ranges beyond WIDE_PREFIX."""
        return tuple(
            f'{d.origin}: "{d.pattern}" admits {_addresses(d.pattern)} addresses; '
            "list only the town hall's own servers"
            for d in self.networks
            if _is_wide(d.pattern)
        )

    @property
    def names(self) -> tuple[Destination, ...]:
        return tuple(d for d in self.destinations if not d.is_network)

    @property
    def networks(self) -> tuple[Destination, ...]:
        return tuple(d for d in self.destinations if d.is_network)

    @property
    def services(self) -> tuple[tuple[str, int], ...]:
        """The (protocol, port) pairs reached by name; each gets an IPv4 and an IPv6 set."""
        return tuple(sorted({(d.protocol, d.port) for d in self.names}))


def compute_allowlist(
    config: Config,
    content: dict[str, Any] | None = None,
    network_resolvers: Iterable[str] = (),
) -> AllowList:
    """The allow-list for `config` and the town hall's `content` (site tiles).

    The DNS servers are `network.dns`; when it is empty, `network_resolvers` (the ones DHCP
    gave), possibly none yet: then every name gets NXDOMAIN until they are known.
    Raises PolicyError naming the first entry that cannot be admitted.
    """
    found: list[Destination] = []
    found += from_url(config.hub["url"], "hub.url")
    if config.update["url"]:
        found += from_url(config.update["url"], "update.url")
    for index, entry in enumerate(config.network["ntp"]):
        origin = f"network.ntp[{index}]"
        found.append(destination(entry, NTP, origin, literal_ok=True))
    for index, entry in enumerate(config.network["allow"]):
        found += from_entry(entry, f"network.allow[{index}]")
    for index, entry in enumerate(config.network.get("allow_ips", ())):
        found.append(destination(entry, HTTPS, f"network.allow_ips[{index}]", network=True))
    skipped = []
    for index, site in enumerate((content or {}).get("sites", [])):
        # A bad tile in the hub's content must not cut the totem off from the hub that
        # would correct it: the tile is left out (and reported), the rest applies.
        try:
            found += from_url(site.get("url", ""), f"content site {site.get('id', index)!r}")
        except PolicyError as error:
            skipped.append(str(error))
    pinned, found = _pinned(config.network.get("hosts", ()), found)
    resolvers = tuple(config.network["dns"])
    for resolver in resolvers:
        if ipaddress.ip_address(resolver).is_loopback:
            raise PolicyError(
                f"network.dns: {resolver} is this totem itself; list the town hall's DNS servers"
            )
    if not resolvers:
        resolvers = tuple(
            sorted({r for r in network_resolvers if not ipaddress.ip_address(r).is_loopback})
        )
    return AllowList(_unique(found), resolvers, tuple(skipped), pinned)


def _pinned(
    entries: Iterable[str], found: list[Destination]
) -> tuple[tuple[tuple[str, str], ...], list[Destination]]:
    """The (name, address) of each `network.hosts` entry some allowed name covers, and
    `found` with each such address opened on that name's services. A pinned name nothing
    allows is left out: NXDOMAIN like any other name, its address closed."""
    pinned, opened = [], []
    for index, entry in enumerate(entries):
        origin = f"network.hosts[{index}]"
        name, address = host_record(entry, origin)
        network = str(ipaddress.ip_network(address))
        services = sorted(
            {(d.protocol, d.port) for d in found if not d.is_network and _names(d, name)}
        )
        if services:
            pinned.append((name, address))
            opened += [Destination(network, protocol, port, origin) for protocol, port in services]
    return tuple(pinned), found + opened


def _names(item: Destination, name: str) -> bool:
    return name.endswith("." + item.base) if item.is_wildcard else name == item.pattern


def _is_wide(pattern: str) -> bool:
    network = ipaddress.ip_network(pattern)
    return network.prefixlen < WIDE_PREFIX[network.version]


def _addresses(pattern: str) -> str:
    count = ipaddress.ip_network(pattern).num_addresses
    return f"{count:,}".replace(",", " ") if count < 10**9 else f"about 2^{count.bit_length() - 1}"


def _unique(found: Iterable[Destination]) -> tuple[Destination, ...]:
    seen: dict[tuple[str, str, int], Destination] = {}
    for item in found:
        seen.setdefault((item.pattern, item.protocol, item.port), item)
    return tuple(sorted(seen.values()))
