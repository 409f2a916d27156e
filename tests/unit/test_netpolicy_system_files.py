"""The files `totem netpolicy apply` reads and writes around the firewall, on a plain directory."""

from __future__ import annotations

from appliance.config import parse_config
from appliance.netpolicy.allowlist import compute_allowlist
from appliance.netpolicy.apply import RESOLV_TEXT, point_resolv_conf, point_timesyncd, render
from appliance.netpolicy.dhcp import dhcp_resolvers
from appliance.netpolicy.dnsmasq import render_dnsmasq
from appliance.netpolicy.nftables import render_nftables

LEASE = """# This is private data. Do not parse.
ADDRESS=192.168.1.23
ROUTER=192.168.1.1
DNS=192.168.1.1 2001:db8::53 bogus
NTP=192.168.1.1
"""


def test_dhcp_resolvers_come_from_the_lease_files(tmp_path):
    (tmp_path / "2").write_text(LEASE)
    (tmp_path / "3").write_text("ADDRESS=10.0.0.5\nDNS=10.0.0.1\n")
    assert dhcp_resolvers(tmp_path) == ("10.0.0.1", "192.168.1.1", "2001:db8::53")


def test_no_lease_means_no_resolver(tmp_path):
    assert dhcp_resolvers(tmp_path / "absent") == ()
    assert dhcp_resolvers(tmp_path) == ()


def test_an_empty_network_dns_takes_the_leases_servers(tmp_path):
    config = tmp_path / "totem.toml"
    config.write_text('[hub]\nurl = "https://hub.mairie.fr"\n[network]\nntp = ["ntp.ville.fr"]\n')
    leases = tmp_path / "leases"
    leases.mkdir()
    (leases / "2").write_text("DNS=192.168.1.1\n")
    rendered = render(config, None, leases)
    assert "server=/hub.mairie.fr/192.168.1.1" in rendered.dnsmasq
    assert 'meta skuid "dnsmasq" ip daddr 192.168.1.1' in rendered.nftables
    assert rendered.ntp_hosts == ("ntp.ville.fr",)


def test_with_no_resolver_at_all_every_name_is_nxdomain_and_no_dns_leaves():
    allowlist = compute_allowlist(parse_config('[hub]\nurl = "https://hub.mairie.fr"\n'))
    conf, nft = render_dnsmasq(allowlist), render_nftables(allowlist)
    assert "address=/#/" in conf and "server=" not in conf
    assert "dport 53" not in nft


def test_resolv_conf_already_naming_the_local_resolver_is_left_alone(tmp_path):
    resolv = tmp_path / "resolv.conf"
    resolv.write_text("nameserver 127.0.0.1\n")
    resolv.chmod(0o444)  # like the image's read-only root
    point_resolv_conf(resolv)
    assert resolv.read_text() == "nameserver 127.0.0.1\n"


def test_resolv_conf_naming_another_server_is_rewritten_through_its_symlink(tmp_path):
    target = tmp_path / "run-resolv.conf"
    target.write_text("nameserver 9.9.9.9\n")
    link = tmp_path / "resolv.conf"
    link.symlink_to(target)
    point_resolv_conf(link)
    assert link.is_symlink() and target.read_text() == RESOLV_TEXT


def test_timesyncd_is_pointed_at_the_ntp_hosts_only(tmp_path):
    dropin = tmp_path / "timesyncd.conf.d" / "totem.conf"
    point_timesyncd(("ntp.ville.fr", "192.0.2.123"), dropin)
    assert "NTP=ntp.ville.fr 192.0.2.123\nFallbackNTP=\n" in dropin.read_text()
