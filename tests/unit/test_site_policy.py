"""What one visit of a site tile may reach (appliance/sites/policy.py)."""

from __future__ import annotations

import re

import pytest

from appliance.netpolicy.entries import PolicyError
from appliance.sites.pages import REFUSAL_TITLE, refusal_page, unreachable_page
from appliance.sites.policy import SitePolicy

ALLOW = ["*.ville-exemple.fr", "https://static.cdn-exemple.net", "http://vieux.exemple.org"]


@pytest.fixture
def policy():
    return SitePolicy.for_tile("https://www.referendum.interieur.gouv.fr/", ALLOW, "rip")


@pytest.mark.parametrize(
    "url",
    [
        "https://www.referendum.interieur.gouv.fr/soutien/etape-1",
        "https://WWW.Referendum.Interieur.gouv.fr./",
        "https://mairie.ville-exemple.fr/agenda?x=1",
        "https://a.b.ville-exemple.fr/",
        "https://static.cdn-exemple.net/app.js",
        "wss://static.cdn-exemple.net/socket",
        "http://vieux.exemple.org/",
        "https://vieux.exemple.org/",  # an http:// entry admits https too, as the lockdown does
        "about:blank",
    ],
)
def test_the_tile_and_the_listed_sites_load(policy, url):
    assert policy.refusal(url) is None


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://www.google.com/", "www.google.com:443 is not one of"),
        ("https://ville-exemple.fr/", "ville-exemple.fr:443 is not one of"),  # *. is not the domain
        ("https://evil-ville-exemple.fr/", "is not one of"),
        ("https://www.referendum.interieur.gouv.fr.evil.com/", "is not one of"),
        ("https://www.referendum.interieur.gouv.fr:8443/", ":8443 is not one of"),
        ("http://www.referendum.interieur.gouv.fr/", ":80 is not one of"),
        ("file:///etc/passwd", "the file: scheme"),
        ("data:text/html,<h1>x</h1>", "the data: scheme"),
        ("blob:https://www.referendum.interieur.gouv.fr/1-2", "the blob: scheme"),
        ("javascript:alert(1)", "the javascript: scheme"),
        ("ftp://www.referendum.interieur.gouv.fr/", "the ftp: scheme"),
        ("https://user@www.referendum.interieur.gouv.fr/", "user name"),
        ("https://93.184.216.34/", "only the town hall's listed sites"),
        ("https://[2001:db8::1]/", "only the town hall's listed sites"),
        ("https://www.referendum.interieur.gouv.fr:99999/", "not a valid address"),
        ("", "the empty: scheme"),
    ],
)
def test_anything_else_is_refused_with_a_reason(policy, url, why):
    assert why in policy.refusal(url)


def test_the_hub_and_literal_addresses_are_not_sites():
    policy = SitePolicy.for_tile("https://www.ville-exemple.fr/", ["bad entry *", "10.0.0.0/8"])
    assert [d.pattern for d in policy.destinations] == ["www.ville-exemple.fr"]
    with pytest.raises(PolicyError):
        SitePolicy.for_tile("file:///home", [])
    with pytest.raises(PolicyError, match="not a site on the Internet"):
        SitePolicy.for_tile("https://localhost/", [])


def webkit_match(url_filter: str, url: str) -> bool:
    """A content-blocker URL filter as WebKit applies it: a search, case-insensitive."""
    return re.search(url_filter, url, re.IGNORECASE) is not None


def blocked(rules: list[dict], url: str) -> bool:
    verdict = False
    for rule in rules:
        if webkit_match(rule["trigger"]["url-filter"], url):
            verdict = rule["action"]["type"] == "block"
    return verdict


@pytest.mark.parametrize(
    ("url", "is_blocked"),
    [
        ("https://www.referendum.interieur.gouv.fr/js/app.js", False),
        ("https://cdn.ville-exemple.fr/logo.png", False),
        ("wss://static.cdn-exemple.net/live", False),
        ("http://vieux.exemple.org/img.gif", False),
        ("data:image/png;base64,iVBORw0KGgo=", False),
        ("https://tracker.example.com/pixel.gif", True),
        ("https://www.referendum.interieur.gouv.fr.evil.com/x.js", True),
        ("https://evil.com/?u=https://www.referendum.interieur.gouv.fr/", True),
        ("https://evilville-exemple.fr/", True),
        ("https://www.referendum.interieur.gouv.fr:8443/", True),
        ("file:///etc/passwd", True),
    ],
)
def test_the_content_rules_say_what_the_navigation_check_says(policy, url, is_blocked):
    assert blocked(policy.content_rules(), url) is is_blocked


def test_the_content_rules_use_no_alternation():
    # WebKit's content-blocker expressions have no `|`: each filter is one simple pattern.
    policy = SitePolicy.for_tile("https://www.ville-exemple.fr/", ALLOW)
    assert all("|" not in rule["trigger"]["url-filter"] for rule in policy.content_rules())


def test_the_pages_in_place_of_a_site_say_why_and_escape_the_address():
    hostile = 'https://x.example/"><script>alert(1)</script>'
    for page, title in ((refusal_page(hostile), REFUSAL_TITLE), (unreachable_page(hostile), "")):
        assert "<script>" not in page
        assert title in page
        assert "Accueil" in page
    assert "history.back()" in refusal_page(hostile)
