"""Public suffixes (`fr`, `gouv.fr`, `co.uk`, `github.io`): names under which anyone may
register their own site, so `*.suffix` in the allow-list would open the totem to all of them.

The list is Debian's `publicsuffix` package (Mozilla's Public Suffix List, ICANN and private
sections), installed on the image and on a technician's PC. Without it only one-label names
(top-level domains) are known to be public: that much holds for every list.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import NamedTuple

import idna

LIST_PATH = Path("/usr/share/publicsuffix/public_suffix_list.dat")


class Rules(NamedTuple):
    exact: frozenset[str]  # "gouv.fr"
    wildcard: frozenset[str]  # "*.ck" kept as "ck": every child of it is a suffix
    exceptions: frozenset[str]  # "!www.ck" kept as "www.ck": not a suffix after all


def parse_rules(text: str) -> Rules:
    """The list's rules, as ASCII (IDNA) lower-case names."""
    exact, wildcard, exceptions = set(), set(), set()
    for raw in text.splitlines():
        rule = raw.strip().split()[0] if raw.strip() else ""
        if not rule or rule.startswith("//"):
            continue
        target = exact
        if rule.startswith("!"):
            target, rule = exceptions, rule[1:]
        elif rule.startswith("*."):
            target, rule = wildcard, rule[2:]
        try:
            target.add(idna.encode(rule, uts46=True).decode("ascii"))
        except (idna.IDNAError, UnicodeError, ValueError):
            continue  # a rule Python's IDNA cannot encode matches no name we accept either
    return Rules(frozenset(exact), frozenset(wildcard), frozenset(exceptions))


@functools.cache
def installed_rules(path: Path = LIST_PATH) -> Rules | None:
    try:
        return parse_rules(path.read_text(encoding="utf-8"))
    except OSError:
        return None


def is_public_suffix(name: str, rules: Rules | None = None) -> bool:
    """True when `name` (ASCII, lower case, no trailing dot) is a public suffix."""
    rules = rules if rules is not None else installed_rules()
    if "." not in name:
        return True  # a top-level domain, known or not
    if rules is None:
        return False
    if name in rules.exceptions:
        return False
    parent = name.partition(".")[2]
    return name in rules.exact or parent in rules.wildcard
