"""`totem dongle make` and `totem dongle verify` as a technician and a town hall use them:
exit 0 for a token that opens the totem, 1 with one line saying why for any other."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
)
from sync_support import kiosk_config, local_hub

from wire.protocol import public_key_b64
from wire.servicetoken import FILENAME, MAX_BYTES

TOTEM = [sys.executable, "-m", "appliance"]


def totem(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*TOTEM, *args], capture_output=True, text=True, timeout=60)


@pytest.fixture
def service_key(tmp_path):
    key = Ed25519PrivateKey.generate()
    path = tmp_path / "service.pem"
    path.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    return path, public_key_b64(key)


def make(tmp_path, key_path, *where: str) -> subprocess.CompletedProcess:
    stick = tmp_path / "stick"
    return totem(
        "dongle", "make", "--key", str(key_path), "--technician", "Camille",
        *where, "--days", "7", "--out", str(stick),
    )  # fmt: skip


def test_a_dongle_made_for_a_kiosk_opens_it_and_no_other(tmp_path, service_key):
    key_path, public = service_key
    made = make(tmp_path, key_path, "--kiosks", "hall-01")
    assert made.returncode == 0, made.stderr
    stick = tmp_path / "stick"
    valid = totem("dongle", "verify", str(stick), "--kiosk", "hall-01", "--key", public)
    assert valid.returncode == 0 and valid.stdout.startswith("valid: Camille, serial ")
    other = totem("dongle", "verify", str(stick), "--kiosk", "gare-03", "--key", public)
    assert other.returncode == 1
    assert other.stderr.strip() == "totem: refused (other-kiosk): made for hall-01, not gare-03"
    stranger = public_key_b64(Ed25519PrivateKey.generate())
    forged = totem("dongle", "verify", str(stick), "--kiosk", "hall-01", "--key", stranger)
    assert forged.returncode == 1 and "(signature)" in forged.stderr
    assert forged.stderr.count("\n") == 1


def test_the_totems_config_gives_kiosk_site_and_keys(tmp_path, service_key):
    key_path, public = service_key
    assert make(tmp_path, key_path, "--site", "Mairie de Saint-Exemple").returncode == 0
    config = tmp_path / "totem.toml"
    config.write_text(
        '[site]\nname = "Mairie de Saint-Exemple"\nkiosk_id = "hall-07"\n'
        f'[service]\nkeys = ["{public}"]\n'
    )
    valid = totem("dongle", "verify", str(tmp_path / "stick"), "--config", str(config))
    assert valid.returncode == 0, valid.stderr
    assert "for hall-07" in valid.stdout


def test_a_hostile_stick_is_refused_without_a_traceback(tmp_path, service_key):
    key_path, public = service_key
    stick = tmp_path / "stick"
    stick.mkdir()
    verify = ("dongle", "verify", str(stick), "--kiosk", "hall-01", "--key", public)
    assert "no TOTEM-SERVICE.token" in totem(*verify).stderr
    secret = tmp_path / "elsewhere"
    secret.write_text("{}")
    os.symlink(secret, stick / FILENAME)  # a link to a file off the stick
    assert "cannot be read" in totem(*verify).stderr
    (stick / FILENAME).unlink()
    (stick / FILENAME).mkdir()
    assert "not a plain file" in totem(*verify).stderr
    (stick / FILENAME).rmdir()
    (stick / FILENAME).write_bytes(b"{" * (MAX_BYTES + 1))
    huge = totem(*verify)
    assert huge.returncode == 1 and "over" in huge.stderr and "Traceback" not in huge.stderr


def test_the_town_hall_issues_a_dongle_the_totem_learns_its_key_and_its_revocation(tmp_path):
    """Hub and totem as separate processes: the key and the revocation reach the totem in
    the signed content of an ordinary sync."""
    with local_hub(tmp_path / "hub") as hub:
        public = hub.run("service-key", "create").strip()
        assert hub.run("service-key", "show").strip() == public
        stick = tmp_path / "stick"
        issued = hub.run(
            "dongle", "issue", "--technician", "Camille", "--kiosks", "hall-01",
            "--days", "3", "--out", str(stick),
        )  # fmt: skip
        serial = issued.split()[1]
        kiosk = tmp_path / "kiosk"
        kiosk_config(tmp_path, hub.url, hub.create_kiosk_token())
        config = str(tmp_path / "totem.toml")
        sync = ["sync", "--config", config, "--data-dir", str(kiosk), "--once"]
        assert totem(*sync).returncode == 0
        verify = ("dongle", "verify", str(stick), "--kiosk", "hall-01", "--data-dir", str(kiosk))
        assert totem(*verify).returncode == 0  # the key came with the content
        assert f"dongle {serial} revoked" in hub.run("dongle", "revoke", serial)
        assert totem(*sync).returncode == 0
        refused = totem(*verify)
        assert (
            refused.returncode == 1 and f"(revoked): serial {serial} is revoked" in refused.stderr
        )
