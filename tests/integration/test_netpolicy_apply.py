"""`totem netpolicy apply` inside a namespace: it applies, reports, and fails closed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from netpolicy_world import HOSTS, RESOLVER_V4, RESOLVER_V6, TOTEM_TOML, World

pytestmark = [
    pytest.mark.root,
    pytest.mark.skipif(
        not (shutil.which("nft") and shutil.which("dnsmasq")), reason="needs nft and dnsmasq"
    ),
]

TOTEM = str(Path(sys.executable).with_name("totem"))
HUB4 = HOSTS["hub.totem.test"][0]


@pytest.fixture
def world(tmp_path):
    world = World(tmp_path).start()
    try:
        yield world
    finally:
        world.close()


def totem_apply(world: World, config_text: str, *extra: str) -> subprocess.CompletedProcess:
    config = world.workdir / "apply.toml"
    config.write_text(config_text)
    return world.totem_exec(
        TOTEM,
        "netpolicy",
        "apply",
        "--config",
        str(config),
        "--data-dir",
        str(world.workdir),
        "--run-dir",
        str(world.workdir / "run"),
        "--state-file",
        str(world.workdir / "state.json"),
        "--no-system",
        *extra,
        check=False,
    )


def connect_to_hub(world: World) -> str:
    world.probe([{"op": "dns", "name": "hub.totem.test", "server": "127.0.0.1"}])
    return world.probe([{"op": "tcp", "host": HUB4, "port": 443}])[0]["result"]


def test_apply_installs_the_policy_and_status_reports_it(world):
    result = totem_apply(world, TOTEM_TOML)
    assert result.returncode == 0, result.stderr
    world.spawn(
        world.totem,
        [
            "dnsmasq",
            "--keep-in-foreground",
            f"--conf-file={world.workdir / 'run' / 'dnsmasq.conf'}",
        ],
        "tdns",
    )
    world.wait_for(lambda: connect_to_hub(world) == "open", "a connection to the hub")
    world.probe([{"op": "tcp", "host": HOSTS["evil.test"][0], "port": 443}])

    status = world.totem_exec(
        TOTEM, "netpolicy", "status", "--state-file", str(world.workdir / "state.json")
    )
    report = json.loads(status.stdout)
    assert report["state"]["state"] == "applied"
    assert report["sets"]["tcp443_v4"] >= 1
    assert report["dropped"]["dropped_output"]["packets"] >= 1
    assert report["resolver"]["answers"] is True


def test_a_broken_configuration_leaves_the_fail_closed_table(world):
    world.apply_by_hand(world.render())
    assert connect_to_hub(world) == "open"

    broken = TOTEM_TOML.replace('"www.allowed.test"', '"*"')
    result = totem_apply(world, broken)

    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "network.allow[0]" in result.stderr
    table = world.totem_exec("nft", "list", "table", "inet", "totem").stdout
    assert "@tcp443_v4" not in table and 'oif "lo" accept' in table
    assert connect_to_hub(world) != "open"
    assert world.probe([{"op": "tcp", "host": "127.0.0.1", "port": 8080}])[0]["result"] == "open"
    state = json.loads((world.workdir / "state.json").read_text())
    assert state["state"] == "fail-closed" and "network.allow[0]" in state["reason"]


def test_a_configuration_nft_refuses_also_fails_closed(world):
    world.apply_by_hand(world.render())
    # A user name nft cannot resolve makes the whole transaction fail, after rendering worked.
    result = world.totem_exec(
        "sh",
        "-c",
        f'sed \'s/skuid "dnsmasq"/skuid "no-such-user"/\' '
        f"{world.workdir / 'policy' / 'nftables.conf'} | nft -f -",
        check=False,
    )
    assert result.returncode != 0
    assert connect_to_hub(world) == "open"  # nft -f is atomic: the old policy is untouched


def test_established_connections_survive_the_expiry_of_their_set_entry(world):
    out = world.render()
    conf = out / "nftables.conf"
    conf.write_text(conf.read_text().replace("timeout 3600s", "timeout 3s"))
    world.apply_by_hand(out)
    world.probe([{"op": "dns", "name": "www.allowed.test", "server": "127.0.0.1"}])
    address = HOSTS["www.allowed.test"][0]
    assert address in world.set_elements("tcp443_v4")

    # one long-lived connection, opened while the address is in the set
    script = (
        "import socket, sys, time\n"
        f"s = socket.create_connection(('{address}', 443), timeout=5)\n"
        "s.recv(100); print('connected', flush=True)\n"
        "sys.stdin.readline()\n"
        "s.sendall(b'still there'); print(s.recv(100).decode(), flush=True)\n"
    )
    client = subprocess.Popen(
        ["ip", "netns", "exec", world.totem, sys.executable, "-c", script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert client.stdout.readline().strip() == "connected"
        world.wait_for(
            lambda: address not in world.set_elements("tcp443_v4"), "the expiry of the set entry"
        )
        assert world.probe([{"op": "tcp", "host": address, "port": 443}])[0]["result"] != "open"
        client.stdin.write("go\n")
        client.stdin.flush()
        assert client.stdout.readline().strip() == "echo still there"
    finally:
        client.kill()
        client.wait()


def test_without_configured_dns_the_dhcp_servers_are_used_and_reapplying_is_a_no_op(world):
    leases = world.workdir / "leases"
    leases.mkdir()
    (leases / "2").write_text(f"ADDRESS=10.99.0.2\nDNS={RESOLVER_V4}\n")
    config = TOTEM_TOML.replace(f'dns = ["{RESOLVER_V4}", "{RESOLVER_V6}"]', "")
    result = totem_apply(world, config, "--leases-dir", str(leases), "--if-changed")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["changed"] is True
    conf = world.workdir / "run" / "dnsmasq.conf"
    world.spawn(world.totem, ["dnsmasq", "--keep-in-foreground", f"--conf-file={conf}"], "tdns")
    world.wait_for(lambda: connect_to_hub(world) == "open", "a connection to the hub")

    again = totem_apply(world, config, "--leases-dir", str(leases), "--if-changed")
    assert json.loads(again.stdout)["changed"] is False
    assert connect_to_hub(world) == "open"


def test_an_address_in_use_is_renewed_while_the_resolver_may_still_hand_it_out(world):
    out = world.render()
    conf = out / "nftables.conf"
    conf.write_text(conf.read_text().replace("timeout 3600s", "timeout 5s"))
    world.apply_by_hand(out)
    world.probe([{"op": "dns", "name": "hub.totem.test", "server": "127.0.0.1"}])
    started = time.monotonic()
    results = []
    while time.monotonic() - started < 8:  # well past the entry's first 5 s
        results += world.probe([{"op": "tcp", "host": HUB4, "port": 443}])
        time.sleep(0.5)
    assert [r["result"] for r in results] == ["open"] * len(results)
    assert HUB4 in world.set_elements("tcp443_v4")
