"""What one visit of a site tile may reach: the browser's own fence.

The network lockdown (nftables + dnsmasq, appliance/netpolicy) is the first fence and stays
fail-closed whatever this says. This second one decides inside the browser, so a citizen
sees a clear page instead of a page that never loads: a visit may reach the tile's own host
and the names `[network] allow` lists, on the ports the lockdown opens for them, by http(s)
or web sockets — never the hub or update server (not sites for citizens), never an address
written literally, never another scheme (file:, data:, blob: pages, ftp:...).

The same destinations give the navigation check (`refusal`) and the WebKit content-blocker
rules that stop sub-resources (scripts, frames, images, requests) of any other host.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from appliance.netpolicy.entries import Destination, PolicyError, from_entry, from_url

# The port each web scheme means when a URL names none.
DEFAULT_PORTS = {"https": 443, "http": 80, "wss": 443, "ws": 80}
# Pages the browser makes itself and may show in a frame: nothing is fetched for them.
BLANK = ("about:blank", "about:srcdoc")


@dataclass(frozen=True)
class SitePolicy:
    destinations: tuple[Destination, ...]  # name patterns, each with the TCP port it may use

    @classmethod
    def for_tile(cls, tile_url: str, allow: Iterable[str] = (), tile: str = "site") -> SitePolicy:
        """The policy of a visit of the tile opening `tile_url`, with `[network] allow`.

        Raises PolicyError when the tile's own URL cannot be admitted (the kiosk then keeps
        the tile closed, as the lockdown keeps its host out); a bad allow entry is refused by
        `totem config check` long before a visit, and is left out here.
        """
        found = [d for d in from_url(tile_url, f"content site {tile!r}") if not d.is_network]
        if not found:
            raise PolicyError(f'content site {tile!r}: "{tile_url}" is not a site on the Internet')
        for index, entry in enumerate(allow):
            try:
                found += [
                    d for d in from_entry(entry, f"network.allow[{index}]") if not d.is_network
                ]
            except PolicyError:
                continue
        return cls(tuple(sorted(set(found))))

    def refusal(self, url: str) -> str | None:
        """None when the browser may load `url`; otherwise why not, for the visit's log."""
        if url in BLANK:
            return None
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return f"not a valid address: {url[:200]}"
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            return f"the {scheme or 'empty'}: scheme is not opened on the totem"
        if "@" in parts.netloc:
            return "an address with a user name is not opened on the totem"
        host = (parts.hostname or "").rstrip(".")
        if not host or _is_literal(host):
            return f"{host or 'no host'}: only the town hall's listed sites are opened"
        port = port if port is not None else DEFAULT_PORTS[scheme]
        if any(_covers(d, host, port) for d in self.destinations):
            return None
        return f"{host}:{port} is not one of the town hall's listed sites"

    def content_rules(self) -> list[dict]:
        """WebKit content-blocker rules: every load blocked, then each destination let
        through (`ignore-previous-rules`), with the pages the engine makes itself."""
        rules: list[dict] = [{"trigger": {"url-filter": ".*"}, "action": {"type": "block"}}]
        for pattern in ("^about:", "^data:", "^blob:"):
            # Inline images and a page's own blobs fetch nothing; navigating to them is
            # refused by `refusal` (they are not in DEFAULT_PORTS).
            rules.append(_let_through(pattern))
        for destination in self.destinations:
            for scheme, default in DEFAULT_PORTS.items():
                port = "" if destination.port == default else f":{destination.port}"
                rules.append(_let_through(f"^{scheme}://{_host_filter(destination)}{port}/"))
        return rules


def _covers(destination: Destination, host: str, port: int) -> bool:
    if destination.protocol != "tcp" or destination.port != port:
        return False
    host = host.lower()
    if destination.is_wildcard:
        return host.endswith("." + destination.base)
    return host == destination.pattern


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _host_filter(destination: Destination) -> str:
    """The host part of a content-blocker URL filter: WebKit's regular expressions have no
    alternation, so `*.domain` is one or more host characters before `.domain`."""
    escaped = destination.base.replace(".", r"\.")
    return rf"[a-z0-9.-]+\.{escaped}" if destination.is_wildcard else escaped


def _let_through(url_filter: str) -> dict:
    return {"trigger": {"url-filter": url_filter}, "action": {"type": "ignore-previous-rules"}}
