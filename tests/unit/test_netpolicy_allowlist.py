"""The allow-list, computed once from totem.toml and content, refuses what it cannot admit."""

from __future__ import annotations

import json

import pytest

from appliance.config import ConfigError, parse_config
from appliance.content import load_content
from appliance.netpolicy.allowlist import (
    HTTP,
    HTTPS,
    NTP,
    PolicyError,
    compute_allowlist,
    normalise_name,
)
from appliance.netpolicy.entries import entry_refusal

BASE = """
[hub]
url = "https://hub.mairie.fr"

[network]
dns = ["192.0.2.53"]
"""


def allowlist(extra: str = "", content=None, base: str = BASE):
    return compute_allowlist(parse_config(base + extra), content)


def entries(result) -> set[tuple[str, str, int]]:
    return {(d.pattern, d.protocol, d.port) for d in result.destinations}


def test_hub_update_ntp_sites_and_extra_hosts_are_all_admitted():
    content = {"sites": [{"id": "ville", "url": "https://www.ville.fr/agenda"}]}
    result = allowlist(
        '\n[update]\nurl = "https://maj.totem.fr/bundles"\n'
        '[network]\ndns = ["192.0.2.53"]\nntp = ["ntp.ville.fr"]\n'
        'allow = ["www.service-public.fr", "*.saint-exemple.fr"]\n',
        content,
        base='[hub]\nurl = "https://hub.mairie.fr"\n',
    )
    assert entries(result) == {
        ("hub.mairie.fr", *HTTPS),
        ("maj.totem.fr", *HTTPS),
        ("ntp.ville.fr", *NTP),
        ("www.service-public.fr", *HTTPS),
        ("*.saint-exemple.fr", *HTTPS),
        ("www.ville.fr", *HTTPS),
    }
    assert result.resolvers == ("192.0.2.53",)


def test_the_demo_content_sites_are_in_the_allow_list():
    result = allowlist(content=load_content(None))
    assert ("www.service-public.fr", *HTTPS) in entries(result)


def test_a_hub_on_its_own_port_is_admitted_on_that_port_only():
    result = allowlist(
        base='[hub]\nurl = "https://hub.mairie.fr:8750"\n[network]\ndns = ["2001:db8::53"]\n'
    )
    assert entries(result) == {("hub.mairie.fr", "tcp", 8750)}
    assert result.services == (("tcp", 8750),)


def test_a_host_listed_as_http_gets_port_80_as_well_as_443():
    result = allowlist('allow = ["http://vieux-site.fr/page"]\n')
    assert {("vieux-site.fr", *HTTP), ("vieux-site.fr", *HTTPS)} <= entries(result)
    assert ("hub.mairie.fr", *HTTP) not in entries(result)


def test_names_are_stored_in_idna_form():
    result = allowlist('allow = ["Mairie-Évry.FR", "*.Sainte-Hélène.fr."]\n')
    assert {"xn--mairie-vry-h7a.fr", "*.xn--sainte-hlne-69al.fr"} <= {
        d.pattern for d in result.destinations
    }


def test_a_star_entry_is_a_wildcard_over_its_domain():
    (star,) = [d for d in allowlist('allow = ["*.ville.fr"]\n').destinations if d.is_wildcard]
    assert star.base == "ville.fr"


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ("*", "would admit every site"),
        ("*.", "would admit every site"),
        ("*.fr", "whole top-level domain"),
        ("www.*.fr", "only as a whole first label"),
        ("w*w.ville.fr", "only as a whole first label"),
        ("192.0.2.10", "network.allow_ips"),
        ("2001:db8::10", "network.allow_ips"),
        ("[2001:db8::10]", "network.allow_ips"),
        ("intranet", "not a full host name"),
        ("ville.42", "not a full host name"),
        ("exa mple.fr", "not a valid host name"),
        ("-ville-.fr", "not a valid host name"),
        ("ville.fr\nserver=/#/9.9.9.9", "not a valid host name"),
        ("a" * 64 + ".fr", "not a valid host name"),
        ("ftp://ville.fr", "not an http(s) URL"),
    ],
)
def test_a_bad_entry_is_a_clear_error_naming_it(entry, complaint):
    refusal = entry_refusal(entry, "network.allow[0]")
    assert str(refusal).startswith("network.allow[0]: ")
    assert complaint in str(refusal)
    # The same rule refuses the file itself, naming the key and its line.
    with pytest.raises(ConfigError) as error:
        parse_config(BASE + f"allow = [{json.dumps(entry)}]\n")
    assert error.value.key == "network.allow[0]" and error.value.line == 7
    assert complaint in str(error.value)


def test_bad_entries_are_named_with_their_position():
    with pytest.raises(ConfigError, match=r'network\.allow\[1\] \(line 7\): "\*" would admit'):
        parse_config(BASE + 'allow = ["www.ville.fr", "*"]\n')


def test_ip_addresses_are_admitted_through_their_dedicated_key_only():
    result = allowlist('allow_ips = ["198.51.100.7", "2001:db8:1::/48"]\n')
    assert {("198.51.100.7/32", *HTTPS), ("2001:db8:1::/48", *HTTPS)} <= entries(result)
    assert all(d.is_network for d in result.networks)


def test_a_hub_or_time_server_given_as_an_address_is_admitted_literally():
    result = allowlist(
        'ntp = ["192.0.2.123"]\n',
        base='[hub]\nurl = "https://[2001:db8::5]:8750"\n[network]\ndns = ["192.0.2.53"]\n',
    )
    assert entries(result) == {("2001:db8::5/128", "tcp", 8750), ("192.0.2.123/32", *NTP)}


def test_a_bad_site_tile_is_left_out_and_reported_without_failing_the_policy():
    content = {
        "sites": [
            {"id": "x", "url": "https://203.0.113.9/"},
            {"id": "y", "url": "https://*.ville.fr/"},
            {"id": "ok", "url": "https://www.ville.fr/"},
        ]
    }
    result = allowlist(content=content)
    assert ("www.ville.fr", *HTTPS) in entries(result)
    assert not any("203.0.113.9" in d.pattern or "*" in d.pattern for d in result.destinations)
    assert len(result.skipped) == 2
    assert "content site 'x'" in result.skipped[0] and "network.allow_ips" in result.skipped[0]
    assert "content site 'y'" in result.skipped[1] and "not a pattern" in result.skipped[1]


def test_the_configured_resolvers_win_over_the_networks():
    result = compute_allowlist(parse_config(BASE), None, network_resolvers=["10.0.0.1"])
    assert result.resolvers == ("192.0.2.53",)


def test_without_configured_resolvers_the_networks_are_used_but_never_loopback():
    config = parse_config('[hub]\nurl = "https://hub.mairie.fr"\n')
    result = compute_allowlist(config, None, network_resolvers=["10.0.0.1", "127.0.0.53"])
    assert result.resolvers == ("10.0.0.1",)
    assert compute_allowlist(config).resolvers == ()


def test_the_totem_itself_is_refused_as_a_configured_resolver():
    with pytest.raises(PolicyError, match="127.0.0.1 is this totem itself"):
        allowlist(base='[hub]\nurl = "https://hub.mairie.fr"\n[network]\ndns = ["127.0.0.1"]\n')


def test_an_allow_ips_entry_that_is_no_address_is_a_config_error():
    with pytest.raises(ConfigError) as error:
        parse_config('[network]\nallow_ips = ["ville.fr"]\n')
    assert error.value.key == "network.allow_ips" and error.value.line == 2


def test_the_same_destination_listed_twice_appears_once():
    result = allowlist('allow = ["hub.mairie.fr", "HUB.mairie.fr."]\n')
    assert [d.pattern for d in result.destinations] == ["hub.mairie.fr"]


def test_normalise_name_keeps_the_wildcard_prefix():
    assert normalise_name("*.Ville.FR") == "*.ville.fr"


def test_a_hub_on_this_machine_needs_no_entry():
    for url in ("http://127.0.0.1:8750", "http://localhost:8750", "http://[::1]:8750"):
        result = allowlist(base=f'[hub]\nurl = "{url}"\n[network]\ndns = ["192.0.2.53"]\n')
        assert result.destinations == ()


def test_the_shipped_example_totem_toml_renders(tmp_path):
    from pathlib import Path

    from appliance.netpolicy.apply import render

    example = Path(__file__).resolve().parents[2] / "firmware" / "totem.toml"
    if not example.exists():
        pytest.skip("firmware/totem.toml not present")
    rendered = render(example, None, tmp_path)  # no DHCP lease yet: no DNS server
    assert "address=/#/" in rendered.dnsmasq and "policy drop" in rendered.nftables


def test_a_pinned_name_is_reached_at_its_address_on_the_ports_its_entries_open():
    result = allowlist(
        'allow = ["http://portail.mairie.lan", "*.wild.fr"]\n'
        'hosts = ["192.168.1.20 portail.mairie.lan", "2001:db8::7 a.wild.fr"]\n'
    )
    assert {
        ("192.168.1.20/32", *HTTP),
        ("192.168.1.20/32", *HTTPS),
        ("2001:db8::7/128", *HTTPS),
    } <= entries(result)
    assert result.pinned == (("portail.mairie.lan", "192.168.1.20"), ("a.wild.fr", "2001:db8::7"))


def test_a_pinned_name_nothing_allows_opens_nothing_and_is_not_answered():
    result = allowlist('hosts = ["192.168.1.66 ailleurs.example"]\n')
    assert not [d for d in result.destinations if d.pattern.startswith("192.168.1.66")]
    assert result.pinned == ()


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ("portail.mairie.lan", "must be an address and a name"),
        ("192.168.1.20 portail.mairie.lan autre.lan", "must be an address and a name"),
        ("portail.mairie.lan 192.168.1.20", "is not an IP address"),
        ("192.168.1.0/24 portail.mairie.lan", "is not an IP address"),
        ("127.0.0.1 portail.mairie.lan", "not the address of a server"),
        ("0.0.0.0 portail.mairie.lan", "not the address of a server"),
        ("192.168.1.20 *.mairie.lan", "one host, not a pattern"),
        ("192.168.1.20 intranet", "not a full host name"),
    ],
)
def test_a_bad_hosts_entry_is_a_clear_error_naming_it(entry, complaint):
    refusal = entry_refusal(entry, "network.hosts[0]", host=True)
    assert str(refusal).startswith("network.hosts[0]: ") and complaint in str(refusal)
    with pytest.raises(ConfigError) as error:
        parse_config(BASE + f"hosts = [{json.dumps(entry)}]\n")
    assert error.value.key == "network.hosts[0]" and error.value.line == 7
    assert complaint in str(error.value)
