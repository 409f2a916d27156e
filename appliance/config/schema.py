"""The schema of `totem.toml`: every section, key, type, default and check, in one place.

The installer edits this file on the TOTEMCFG partition from any PC, so every check
returns a sentence that names the key and says what would be right.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

Check = Callable[[Any], str | None]  # returns a complaint, or None when the value is fine


@dataclass(frozen=True)
class Key:
    type: type | tuple[type, ...]
    default: Any = None
    required: bool = False
    check: Check | None = None
    what: str = ""  # how the expected value is described in messages


def _size(value: str) -> str | None:
    match = re.fullmatch(r"(\d{2,5})x(\d{2,5})", value)
    if not match or min(int(match[1]), int(match[2])) < 200:
        return 'must look like "1080x1920" (width x height in pixels, each at least 200)'
    return None


def _rotation(value: int) -> str | None:
    return None if value in (0, 90, 180, 270) else "must be 0, 90, 180 or 270"


def _matrix(value: list) -> str | None:
    if len(value) != 6 or not all(_is_number(v) for v in value):
        return "must be a list of 6 numbers [a, b, c, d, e, f] (libinput calibration matrix)"
    return None


def _languages(value: list) -> str | None:
    if not value or not all(v in LANGUAGES for v in value):
        return f"must be a non-empty list taken from {sorted(LANGUAGES)}"
    return None


def _kiosk_id(value: str) -> str | None:
    if not re.fullmatch(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?", value):
        return "must be lower-case letters, digits and hyphens (it becomes the hostname)"
    return None


def _url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return 'must be a URL such as "https://participation.example.fr"'
    return None


def _strings(value: list) -> str | None:
    if not all(isinstance(v, str) and v.strip() for v in value):
        return "must be a list of non-empty strings"
    return None


def _ip_addresses(value: list) -> str | None:
    for item in value:
        try:
            ipaddress.ip_address(item)
        except (ValueError, TypeError):
            return f"must list IP addresses; {item!r} is not one"
    return None


def _ip_networks(value: list) -> str | None:
    for item in value:
        try:
            ipaddress.ip_network(item, strict=False)
        except (ValueError, TypeError):
            return f"must list IP addresses or networks; {item!r} is not one"
    return None


def _positive(value: int) -> str | None:
    return None if value > 0 else "must be a whole number greater than 0"


def _diagonal(value: float) -> str | None:
    return None if 5 <= value <= 120 else "must be the panel diagonal in inches (5 to 120)"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


LANGUAGES = {"fr", "en", "de", "es", "it", "ar"}

SCHEMA: dict[str, dict[str, Key]] = {
    "site": {
        "name": Key(str, "Mairie", what="text"),
        "kiosk_id": Key(str, "totem-demo", check=_kiosk_id, what="text"),
        "languages": Key(list, ["fr", "en"], check=_languages, what="list"),
    },
    "display": {
        "size": Key(str, "1080x1920", check=_size, what="text"),
        "rotation": Key(int, 0, check=_rotation, what="whole number"),
        "diagonal_inches": Key((int, float), 43, check=_diagonal, what="number"),
    },
    "touch": {
        "matrix": Key(list, [1, 0, 0, 0, 1, 0], check=_matrix, what="list"),
    },
    "hub": {
        "url": Key(str, "http://127.0.0.1:8750", check=_url, what="text"),
        "enrollment_token": Key(str, "", what="text"),
        "ca_bundle": Key(str, "", what="text"),
        "content_key": Key(str, "", what="text"),
    },
    "update": {
        "url": Key(str, "", check=lambda v: _url(v) if v else None, what="text"),
    },
    "network": {
        "allow": Key(list, [], check=_strings, what="list"),
        "dns": Key(list, [], check=_ip_addresses, what="list"),
        "ntp": Key(list, [], check=_strings, what="list"),
        # The only place where the allow-list takes IP addresses rather than names.
        "allow_ips": Key(list, [], check=_ip_networks, what="list"),
    },
    "session": {
        "idle_seconds": Key(int, 60, check=_positive, what="whole number"),
        "countdown_seconds": Key(int, 20, check=_positive, what="whole number"),
    },
}
