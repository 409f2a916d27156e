"""The schema of `totem.toml`: every section, key, type, default and check, in one place.

The installer edits this file on the TOTEMCFG partition from any PC, so every check
returns a sentence that says what would be right, in English (`totem config check`) and in
French (the totem's out-of-service screen, read by a French installer).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from appliance.netpolicy.entries import entry_refusal
from appliance.said import Said
from appliance.touch import transform
from appliance.ui.i18n import TEXTS
from appliance.update.window import WindowError, parse_window
from wire.protocol import load_public_key


class EntryComplaint(NamedTuple):
    """What a list's check says of one of its entries: which one (from 0) and what is wrong;
    the key then names the entry, `network.allow[1]`."""

    index: int
    said: Said


# Returns a complaint, or None when the value is fine.
Check = Callable[[Any], Said | EntryComplaint | None]

TEXT = Said("text", "du texte")
WHOLE_NUMBER = Said("whole number", "un nombre entier")
NUMBER = Said("number", "un nombre")
LIST = Said("list", "une liste")


@dataclass(frozen=True)
class Key:
    type: type | tuple[type, ...]
    default: Any = None
    required: bool = False
    check: Check | None = None
    what: Said = TEXT  # how the expected value is described in messages


def _size(value: str) -> Said | None:
    match = re.fullmatch(r"(\d{2,5})x(\d{2,5})", value)
    if not match or min(int(match[1]), int(match[2])) < 200:
        return Said(
            'must look like "1080x1920" (width x height in pixels, each at least 200)',
            'doit ressembler à "1080x1920" (largeur x hauteur en pixels, au moins 200 chacune)',
        )
    return None


def _rotation(value: int) -> Said | None:
    if value in (0, 90, 180, 270):
        return None
    return Said("must be 0, 90, 180 or 270", "doit valoir 0, 90, 180 ou 270")


_MATRIX_SAID = {
    transform.NOT_SIX: Said(
        "must be a list of 6 numbers [a, b, c, d, e, f] (libinput calibration matrix)",
        "doit être une liste de 6 nombres [a, b, c, d, e, f] (matrice de calibrage libinput)",
    ),
    transform.NOT_FINITE: Said(
        "every number must be finite (inf and nan are not numbers a panel can use)",
        "chaque nombre doit être fini (inf et nan ne conviennent pas à une dalle)",
    ),
    transform.TOO_LARGE: Said(
        f"every number must lie between -{transform.COEFFICIENT_LIMIT:g} and "
        f"{transform.COEFFICIENT_LIMIT:g} (a calibration stays close to [1, 0, 0, 0, 1, 0])",
        f"chaque nombre doit être compris entre -{transform.COEFFICIENT_LIMIT:g} et "
        f"{transform.COEFFICIENT_LIMIT:g} (un calibrage reste proche de [1, 0, 0, 0, 1, 0])",
    ),
    transform.FLAT: Said(
        "squashes the panel onto a line (a·e − b·d is about 0): every touch would land on it",
        "écrase la dalle sur une ligne (a·e − b·d vaut presque 0) : chaque toucher y tomberait",
    ),
}


def _matrix(value: list) -> Said | None:
    fault = transform.matrix_fault(value)
    return _MATRIX_SAID[fault] if fault is not None else None


def _languages(value: list) -> Said | None:
    if not value or not all(isinstance(v, str) and v in LANGUAGES for v in value):
        return Said(
            f"must be a non-empty list of the languages the totem has texts for: "
            f"{sorted(LANGUAGES)}",
            f"doit être une liste non vide des langues dont la borne a les textes : "
            f"{sorted(LANGUAGES)}",
        )
    return None


def _kiosk_id(value: str) -> Said | None:
    if not re.fullmatch(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?", value):
        return Said(
            "must be lower-case letters, digits and hyphens (it becomes the hostname)",
            "doit contenir des minuscules, chiffres et tirets (il devient le nom de la machine)",
        )
    return None


def _url(value: str) -> Said | None:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return Said(
            'must be a URL such as "https://participation.example.fr"',
            'doit être une adresse comme "https://participation.example.fr"',
        )
    return None


def hub_url_problem(value: str) -> Said | None:
    """The hub's address: https, or plain http only to a hub on this machine (the demo).
    The sync refuses anything else; the installer hears it first, from the check."""
    complaint = _url(value)
    if complaint:
        return complaint
    parts = urlsplit(value)
    if parts.scheme == "http" and not is_loopback_host(parts.hostname or ""):
        return Said(
            "must start with https:// (plain http:// is only for a hub on this machine, "
            "such as the demo): submissions would cross the network unprotected",
            "doit commencer par https:// (http:// seul ne vaut que pour un hub sur la borne "
            "elle-même, comme la démo) : les contributions voyageraient sans protection",
        )
    return None


def is_loopback_host(host: str) -> bool:
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _strings(value: list) -> Said | None:
    if not all(isinstance(v, str) and v.strip() for v in value):
        return Said(
            "must be a list of non-empty strings", "doit être une liste de textes non vides"
        )
    return None


def _ip_addresses(value: list) -> Said | None:
    for item in value:
        try:
            if not isinstance(item, str):  # ipaddress takes 1 (or true!) for 0.0.0.1
                raise TypeError
            ipaddress.ip_address(item)
        except (ValueError, TypeError):
            return Said(
                f"must list IP addresses; {item!r} is not one",
                f"doit lister des adresses IP ; {item!r} n'en est pas une",
            )
    return None


def _ip_networks(value: list) -> Said | None:
    for item in value:
        try:
            if not isinstance(item, str):
                raise TypeError
            ipaddress.ip_network(item, strict=False)
        except (ValueError, TypeError):
            return Said(
                f"must list IP addresses or networks; {item!r} is not one",
                f"doit lister des adresses ou réseaux IP ; {item!r} n'en est pas un",
            )
    return None


def _allow_entries(
    value: list, *, network: bool = False, host: bool = False
) -> Said | EntryComplaint | None:
    complaint = _strings(value) if not network else _ip_networks(value)
    if complaint:
        return complaint
    for index, entry in enumerate(value):
        origin = f"[{index}]"  # the lockdown's messages start with it; the key says it here
        refusal = entry_refusal(entry, origin, network=network, host=host)
        if refusal is not None:
            texts = (str(refusal), refusal.fr)
            said = Said(
                *(t.removeprefix(f"{origin}: ").removeprefix(f"{origin} : ") for t in texts)
            )
            return EntryComplaint(index, said)
    return None


def _window(value: str) -> Said | None:
    try:
        parse_window(value)
    except WindowError:
        return Said(
            'must be a time window like "03:00-05:00" (local time, may pass midnight)',
            "doit être une plage horaire comme « 03:00-05:00 » (heure locale, peut passer minuit)",
        )
    return None


def _public_keys(value: list) -> Said | None:
    for item in value:
        try:
            if not isinstance(item, str):
                raise ValueError
            load_public_key(item)
        except ValueError:
            return Said(
                f"must list base64 Ed25519 public keys; {str(item)[:20]!r}… is not one",
                f"doit lister des clés publiques Ed25519 en base64 ; {str(item)[:20]!r}… "
                "n'en est pas une",
            )
    return None


def _positive(value: int) -> Said | None:
    if value > 0:
        return None
    return Said("must be a whole number greater than 0", "doit être un nombre entier supérieur à 0")


def _heartbeat(value: int) -> Said | None:
    if 30 <= value <= 3600:
        return None
    return Said("must be between 30 and 3600 seconds", "doit être entre 30 et 3600 secondes")


def _diagonal(value: float) -> Said | None:
    if 5 <= value <= 120:
        return None
    return Said(
        "must be the panel diagonal in inches (5 to 120)",
        "doit être la diagonale de l'écran en pouces (de 5 à 120)",
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# The languages the kiosk has its own texts for (appliance/ui/i18n.py): a language listed
# without them would show a button that shows French.
LANGUAGES = set(TEXTS)

SCHEMA: dict[str, dict[str, Key]] = {
    "site": {
        "name": Key(str, "Mairie", what=TEXT),
        "kiosk_id": Key(str, "totem-demo", check=_kiosk_id, what=TEXT),
        "languages": Key(list, ["fr", "en"], check=_languages, what=LIST),
    },
    "display": {
        "size": Key(str, "1080x1920", check=_size, what=TEXT),
        "rotation": Key(int, 0, check=_rotation, what=WHOLE_NUMBER),
        "diagonal_inches": Key((int, float), 43, check=_diagonal, what=NUMBER),
    },
    "touch": {
        "matrix": Key(list, [1, 0, 0, 0, 1, 0], check=_matrix, what=LIST),
    },
    "hub": {
        "url": Key(str, "http://127.0.0.1:8750", check=hub_url_problem, what=TEXT),
        "enrollment_token": Key(str, "", what=TEXT),
        "ca_bundle": Key(str, "", what=TEXT),
        "content_key": Key(str, "", what=TEXT),
        # How often the totem tells the hub it is alive (and hears of releases).
        "heartbeat_seconds": Key(int, 300, check=_heartbeat, what=WHOLE_NUMBER),
    },
    "update": {
        "url": Key(str, "", check=lambda v: _url(v) if v else None, what=TEXT),
        # When a downloaded release may restart the totem (appliance/update/window.py).
        "window": Key(str, "03:00-05:00", check=_window, what=TEXT),
    },
    "network": {
        "allow": Key(list, [], check=_allow_entries, what=LIST),
        "dns": Key(list, [], check=_ip_addresses, what=LIST),
        "ntp": Key(list, [], check=_strings, what=LIST),
        # The only place where the allow-list takes IP addresses rather than names.
        "allow_ips": Key(list, [], check=lambda v: _allow_entries(v, network=True), what=LIST),
        # "ADDRESS NAME": names the local resolver answers itself (a server of the town
        # hall's network that no DNS server names); reached only as allowed above.
        "hosts": Key(list, [], check=lambda v: _allow_entries(v, host=True), what=LIST),
    },
    "session": {
        "idle_seconds": Key(int, 60, check=_positive, what=WHOLE_NUMBER),
        "countdown_seconds": Key(int, 20, check=_positive, what=WHOLE_NUMBER),
    },
    "service": {
        # The town hall's service keys a technician's dongle must be signed with
        # (wire/servicetoken.py), besides those the hub's signed content carries.
        "keys": Key(list, [], check=_public_keys, what=LIST),
    },
}
