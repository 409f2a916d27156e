"""TLS verification is always on; a self-hosted hub is trusted through `hub.ca_bundle` only."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sync_support import exported_ids, kiosk_config, queue_ideas
from tls_support import town_hall_pki

from demo.localhub import LocalHub

TOTEM = [sys.executable, "-m", "appliance"]


@pytest.fixture
def https_hub(tmp_path):
    ca, cert, key = town_hall_pki(tmp_path)
    with LocalHub(tmp_path / "hub", tls=(cert, key)) as hub:
        yield hub, ca


def sync_once(tmp_path, kiosk):
    args = ["sync", "--config", str(tmp_path / "totem.toml"), "--data-dir", str(kiosk), "--once"]
    return subprocess.run([*TOTEM, *args], capture_output=True, text=True, timeout=120)


def test_a_hub_whose_certificate_the_kiosk_cannot_verify_gets_nothing(tmp_path, https_hub):
    hub, _ca = https_hub
    kiosk = tmp_path / "kiosk"
    queue_ideas(kiosk, 5)
    kiosk_config(tmp_path, hub.url, hub.create_kiosk_token())
    done = sync_once(tmp_path, kiosk)
    assert done.returncode == 1
    assert "TLS verification" in done.stderr and "5 still pending" in done.stderr
    assert exported_ids(hub) == []


def test_the_town_halls_own_ca_given_in_totem_toml_is_trusted(tmp_path, https_hub):
    hub, ca = https_hub
    kiosk = tmp_path / "kiosk"
    queued = queue_ideas(kiosk, 5)
    kiosk_config(tmp_path, hub.url, hub.create_kiosk_token(), ca_bundle=str(ca))
    done = sync_once(tmp_path, kiosk)
    assert done.returncode == 0, done.stderr
    assert set(exported_ids(hub)) == queued
