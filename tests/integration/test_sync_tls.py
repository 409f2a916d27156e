"""TLS verification is always on; a self-hosted hub is trusted through `hub.ca_bundle` only."""

from __future__ import annotations

import datetime
import ipaddress
import subprocess
import sys

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sync_support import exported_ids, kiosk_config, queue_ideas

from appliance.sync.localhub import LocalHub

TOTEM = [sys.executable, "-m", "appliance"]


def town_hall_pki(directory):
    """A town hall's own CA and the hub's certificate for 127.0.0.1, as PEM files."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Mairie CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = directory / "ca.pem", directory / "hub.pem", directory / "hub.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


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
