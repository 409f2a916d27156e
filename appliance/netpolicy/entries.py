"""One allow-list entry at a time: a name, `*.domain`, a URL or an IP network, checked and
turned into destinations. Pure, and needing nothing of `totem.toml` as a whole, so the
config schema refuses a bad `network.allow` entry with the same rule as the lockdown.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

import idna

from appliance.netpolicy.suffixes import is_public_suffix

HTTPS, HTTP, NTP = ("tcp", 443), ("tcp", 80), ("udp", 123)


class PolicyError(ValueError):
    """An allow-list entry that cannot be admitted; the message names it and where it came
    from. `fr` is the same sentence for the totem's screen, when it has been translated."""

    def __init__(self, message: str, fr: str | None = None):
        super().__init__(message)
        self.fr = fr or message


@dataclass(frozen=True, order=True)
class Destination:
    pattern: str  # "www.example.fr", "*.example.fr" (ASCII, IDNA-encoded) or "192.0.2.0/24"
    protocol: str  # "tcp" or "udp"
    port: int
    origin: str  # the key or content item it comes from, for messages and the rendered comments

    @property
    def is_network(self) -> bool:
        return "/" in self.pattern  # names never contain a slash

    @property
    def is_wildcard(self) -> bool:
        return self.pattern.startswith("*.")

    @property
    def base(self) -> str:
        """The domain of a name pattern, without its `*.`."""
        return self.pattern[2:] if self.is_wildcard else self.pattern


def entry_refusal(
    entry: str, origin: str, *, network: bool = False, host: bool = False
) -> PolicyError | None:
    """Why one `network.allow` (with `network`, `network.allow_ips`; with `host`,
    `network.hosts`) entry is refused."""
    try:
        if host:
            host_record(entry, origin)
        elif network:
            destination(entry, HTTPS, origin, network=True)
        else:
            from_entry(entry, origin)
    except PolicyError as error:
        return error
    return None


def host_record(entry: str, origin: str) -> tuple[str, str]:
    """A `network.hosts` entry, "ADDRESS NAME" as in /etc/hosts: the (name, address) the
    local resolver answers itself, for a town hall's server no DNS server names."""
    words = entry.split() if isinstance(entry, str) else []
    if len(words) != 2:
        raise PolicyError(
            f'{origin}: "{entry}" must be an address and a name, such as '
            '"192.168.1.20 portail.mairie.lan"',
            f"{origin} : « {entry} » doit être une adresse et un nom, comme "
            "« 192.168.1.20 portail.mairie.lan »",
        )
    address, name = words
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        raise PolicyError(f'{origin}: "{address}" is not an IP address') from None
    if ip.is_loopback or ip.is_unspecified or ip.is_multicast:
        raise PolicyError(f'{origin}: "{address}" is not the address of a server')
    if name.startswith("*"):
        raise PolicyError(f'{origin}: "{name}" must name one host, not a pattern')
    return normalise_name(name, origin), str(ip)


def from_entry(entry: str, origin: str) -> list[Destination]:
    """A `network.allow` entry: a name, `*.domain`, or a URL whose scheme picks the port."""
    if "://" in entry:
        return from_url(entry, origin, wildcard_ok=True)
    return [destination(entry, HTTPS, origin)]


def from_url(url: str, origin: str, wildcard_ok: bool = False) -> list[Destination]:
    parts = urlsplit(url.strip())
    host = _host_of(parts.netloc)
    if parts.scheme not in ("http", "https") or not host:
        raise PolicyError(f'{origin}: "{url}" is not an http(s) URL')
    if host.startswith("*") and not wildcard_ok:
        raise PolicyError(f'{origin}: "{url}" must name one host, not a pattern')
    try:
        port = parts.port
    except ValueError:
        raise PolicyError(f'{origin}: "{url}" has an invalid port') from None
    if _is_loopback(host):
        return []  # loopback is always open: a hub on this machine needs no entry
    literal_ok = origin in ("hub.url", "update.url")
    if port is not None:
        return [destination(host, ("tcp", port), origin, literal_ok)]
    if parts.scheme == "http":
        # A host the town hall lists as http:// usually redirects to https://: both are admitted.
        return [
            destination(host, HTTP, origin, literal_ok),
            destination(host, HTTPS, origin, literal_ok),
        ]
    return [destination(host, HTTPS, origin, literal_ok)]


def _is_loopback(host: str) -> bool:
    if host.lower().rstrip(".") == "localhost":
        return True
    network = _as_network(host)
    return network is not None and network.is_loopback


def _host_of(netloc: str) -> str:
    host = netloc.rpartition("@")[2]
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.partition(":")[0]


def destination(
    entry: str,
    service: tuple[str, int],
    origin: str,
    literal_ok: bool = False,
    network: bool = False,
) -> Destination:
    protocol, port = service
    if not isinstance(entry, str) or not entry.strip():
        raise PolicyError(f"{origin}: an entry is empty")
    text = entry.strip()
    literal = _as_network(text)
    if network:
        if literal is None:
            raise PolicyError(f'{origin}: "{entry}" is not an IP address or network')
        if literal.prefixlen == 0:
            raise PolicyError(
                f'{origin}: "{entry}" is every address; list the town hall\'s servers instead',
                f"{origin} : « {entry} » couvre toutes les adresses ; listez plutôt les "
                "serveurs de la mairie",
            )
        return Destination(str(literal), protocol, port, origin)
    if literal is not None:
        if not literal_ok:
            raise PolicyError(
                f'{origin}: "{entry}" is an IP address; list addresses under network.allow_ips'
            )
        return Destination(str(literal), protocol, port, origin)
    return Destination(normalise_name(text, origin), protocol, port, origin)


def _as_network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(text.strip("[]"), strict=False)
    except ValueError:
        return None


def normalise_name(entry: str, origin: str = "entry") -> str:
    """`entry` as an ASCII (IDNA) lower-case name or `*.name`; raises PolicyError naming it."""
    name = entry.strip().rstrip(".")
    prefix = ""
    if name == "*" or name == "*.":
        raise PolicyError(
            f'{origin}: "{entry}" would admit every site; name the sites instead',
            f"{origin} : « {entry} » ouvrirait tous les sites ; nommez plutôt les sites",
        )
    if name.startswith("*."):
        prefix, name = "*.", name[2:]
    if "*" in name:
        raise PolicyError(f'{origin}: "{entry}" may use * only as a whole first label ("*.domain")')
    try:
        ascii_name = idna.encode(name, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        raise PolicyError(f'{origin}: "{entry}" is not a valid host name') from None
    labels = ascii_name.split(".")
    if prefix and len(labels) < 2:
        raise PolicyError(
            f'{origin}: "{entry}" would admit a whole top-level domain',
            f"{origin} : « {entry} » ouvrirait tout un domaine de premier niveau",
        )
    if prefix and is_public_suffix(ascii_name):
        # Anyone may register a site under a public suffix: *.gouv.fr is fine to name
        # one by one (www.service-public.fr), never as a pattern.
        raise PolicyError(
            f'{origin}: "{entry}" would admit every site registered under the public suffix '
            f'"{ascii_name}"; name the town hall\'s own domain (*.ville.fr) or the sites',
            f"{origin} : « {entry} » ouvrirait tous les sites enregistrés sous le suffixe "
            f"public « {ascii_name} » ; nommez le domaine de la mairie (*.ville.fr) ou les sites",
        )
    if len(labels) < 2 or labels[-1].isdigit() or len(ascii_name) > 253:
        raise PolicyError(f'{origin}: "{entry}" is not a full host name (such as www.example.fr)')
    return prefix + ascii_name
