"""`totem netpolicy render` and the status file the hardware check and the UI read."""

from __future__ import annotations

import json

from appliance.cli import main
from appliance.netpolicy import status as netstatus
from appliance.netpolicy.status import read_state

GOOD = """
[hub]
url = "https://hub.mairie.fr"

[network]
allow = ["*.ville.fr"]
dns = ["192.0.2.53"]
ntp = ["ntp.ville.fr"]
"""


def test_render_writes_both_files(tmp_path, capsys):
    config = tmp_path / "totem.toml"
    config.write_text(GOOD)
    out = tmp_path / "policy"
    assert main(["netpolicy", "render", "--config", str(config), "--out", str(out)]) == 0
    assert (out / "nftables.conf").read_text().startswith("#!/usr/sbin/nft -f")
    assert "server=/*.ville.fr/192.0.2.53" in (out / "dnsmasq.conf").read_text()
    assert "wrote" in capsys.readouterr().out


def test_render_takes_site_tiles_from_the_cached_content(tmp_path):
    config = tmp_path / "totem.toml"
    config.write_text(GOOD)
    assert main(["netpolicy", "render", "--config", str(config), "--out", str(tmp_path)]) == 0
    assert "www.service-public.fr" in (tmp_path / "dnsmasq.conf").read_text()  # demo content


def test_a_bad_entry_is_one_line_naming_it_and_nothing_is_written(tmp_path, capsys):
    config = tmp_path / "totem.toml"
    config.write_text(GOOD.replace('"*.ville.fr"', '"*.ville.fr", "10.0.0.8"'))
    out = tmp_path / "policy"
    assert main(["netpolicy", "render", "--config", str(config), "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert 'network.allow[1] (line 6): "10.0.0.8" is an IP address' in error
    assert not out.exists()


def test_a_config_error_names_the_key_and_line(tmp_path, capsys):
    config = tmp_path / "totem.toml"
    config.write_text(GOOD.replace('dns = ["192.0.2.53"]', 'dns = ["resolver.fr"]'))
    assert main(["netpolicy", "render", "--config", str(config), "--out", str(tmp_path)]) == 1
    assert "network.dns (line 7)" in capsys.readouterr().err


def test_the_state_file_reads_back_what_was_written(tmp_path):
    path = tmp_path / "netpolicy.json"
    written = netstatus.write_state(netstatus.FAIL_CLOSED, "nft refused the ruleset", path)
    assert read_state(path) == written
    assert written["state"] == "fail-closed" and written["reason"] == "nft refused the ruleset"
    assert written["at"].endswith("+00:00")


def test_no_state_file_or_a_damaged_one_reads_as_none(tmp_path):
    assert read_state(tmp_path / "missing.json") is None
    (tmp_path / "bad.json").write_text("{not json")
    assert read_state(tmp_path / "bad.json") is None
    (tmp_path / "odd.json").write_text(json.dumps({"state": "maybe"}))
    assert read_state(tmp_path / "odd.json") is None


def test_the_default_state_path_is_a_module_constant_tests_can_override(tmp_path, monkeypatch):
    monkeypatch.setattr(netstatus, "STATE_PATH", tmp_path / "netpolicy.json")
    netstatus.write_state(netstatus.APPLIED)
    assert read_state()["state"] == "applied"
