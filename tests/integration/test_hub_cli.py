"""`totem-hub` as the town hall runs it: a real `serve` process, its tools, HTTPS, clean stop."""

from __future__ import annotations

import datetime
import ipaddress
import json
import socket
import subprocess
import time

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hub_support import Kiosk

from demo.localhub import LocalHub, free_port, hub_command
from hub.server import HANDSHAKE_SECONDS
from wire.content import DEMO_CONTENT
from wire.protocol import API_PREFIX, canonical_json, load_public_key, verify

CHEROOT_TIMEOUT = 10  # cheroot's default socket timeout, what a silent client cost before
assert HANDSHAKE_SECONDS < CHEROOT_TIMEOUT


def totem_hub(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*hub_command(), *args], capture_output=True, text=True, input=stdin, timeout=60
    )


class ProcessHub:
    """Kiosk helpers want `.url` and `.engine`; here the hub is another process."""

    def __init__(self, url: str):
        self.url = url


def test_serve_enrol_upload_export_and_stop_on_sigterm(tmp_path):
    with LocalHub(tmp_path) as hub:
        token = hub.create_kiosk_token()
        kiosk = Kiosk(ProcessHub(hub.url))
        answer = kiosk.enrol(token)
        assert answer.status_code == 201
        ideas = [kiosk.idea("Des bancs au parc"), kiosk.idea("Un cinéma en plein air")]
        assert kiosk.upload(ideas).status_code == 200
        exported = [json.loads(line) for line in hub.export().splitlines()]
        assert [e["id"] for e in exported] == [i["id"] for i in ideas]
        assert exported[1]["payload"]["text"] == "Un cinéma en plein air"
        assert {"id", "kind", "kiosk_id", "payload"} <= set(exported[0])
        csv_text = hub.run("export", "--format", "csv")
        header = "id,kind,kiosk_id,created_at,content_version,"
        header += "category,text,service,stars,comment,consultation,choice,language,status,answer"
        assert csv_text.splitlines()[0] == header
        process = hub.process
    assert process.returncode == 0


def test_published_content_is_served_signed_with_the_key_the_kiosk_pinned(tmp_path):
    document = json.loads(DEMO_CONTENT.read_text(encoding="utf-8"))
    document["version"] = "mairie-2026-11"
    source = tmp_path / "content.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    with LocalHub(tmp_path) as hub:
        assert "mairie-2026-11" in hub.run("sign-content", str(source))
        public_key = hub.run("content-key").strip()
        kiosk = Kiosk(ProcessHub(hub.url))
        assert kiosk.enrol(hub.create_kiosk_token()).json()["content_key"] == public_key
        body = kiosk.send("GET", "content").json()
        assert body["content"]["version"] == "mairie-2026-11"
        assert verify(
            load_public_key(public_key), body["signature"], canonical_json(body["content"])
        )


def test_issuing_codes_makes_kiosks_ask_for_one_at_their_next_sync(tmp_path):
    with LocalHub(tmp_path) as hub:
        kiosk = Kiosk(ProcessHub(hub.url))
        assert kiosk.enrol(hub.create_kiosk_token()).status_code == 201
        before = kiosk.send("GET", "content")
        codes = hub.run("issue-codes", "--consultation", "place-du-marche", "--count", "3")
        assert len(codes.split()) == 3
        unchanged = {"If-None-Match": before.headers["ETag"]}
        after = kiosk.send("GET", "content", extra_headers=unchanged)
        assert after.status_code == 200  # a new version, not "304 unchanged"
        needs = {c["id"]: c["requires_code"] for c in after.json()["content"]["consultations"]}
        assert needs == {"place-du-marche": True, "horaires-mediatheque": False}


def test_invalid_content_is_not_published(tmp_path):
    source = tmp_path / "content.json"
    source.write_text('{"version": "x", "services": []}', encoding="utf-8")
    result = totem_hub("sign-content", str(source), "--db", f"sqlite:///{tmp_path / 'h.db'}")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "idea_categories" in result.stderr


def test_errors_are_one_line(tmp_path):
    cases = [
        ("export", "--db", "mysql://somewhere/db"),
        ("export", "--db", f"sqlite:///{tmp_path / 'missing' / 'hub.db'}"),
        ("serve", "--db", f"sqlite:///{tmp_path / 'h.db'}", "--listen", "nowhere"),
        (
            "serve",
            "--db",
            f"sqlite:///{tmp_path / 'h.db'}",
            "--tls-cert",
            str(tmp_path / "no.pem"),
            "--tls-key",
            str(tmp_path / "no.key"),
        ),
    ]
    for args in cases:
        result = totem_hub(*args)
        assert result.returncode == 1, args
        assert result.stderr.startswith("totem-hub: ")
        assert "Traceback" not in result.stderr
    short = totem_hub(
        "add-agent", "paul", "--db", f"sqlite:///{tmp_path / 'h.db'}", stdin="court\n"
    )
    assert short.returncode == 1 and "at least" in short.stderr


def self_signed(tmp_path) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "hub.pem", tmp_path / "hub.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


@pytest.mark.timeout(120)
def test_serves_https_with_the_given_certificate(tmp_path):
    cert, key = self_signed(tmp_path)
    port = free_port()
    db = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    listen = f"127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            *hub_command(),
            "serve",
            "--db",
            db,
            "--listen",
            listen,
            "--tls-cert",
            cert,
            "--tls-key",
            key,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The log line says the hub listens; only then may we connect.
        for line in process.stderr:
            if "listening on https://" in line:
                break
        url = f"https://{listen}"
        answer = requests.post(f"{url}{API_PREFIX}/enrol", json={}, verify=cert, timeout=10)
        assert answer.status_code == 400
        assert requests.get(f"{url}/login", verify=cert, timeout=10).status_code == 200
    finally:
        process.terminate()
        process.communicate(timeout=30)
    assert process.returncode == 0


@pytest.mark.timeout(120)
def test_a_client_that_never_handshakes_neither_blocks_others_nor_the_stop(tmp_path):
    cert, key = self_signed(tmp_path)
    listen = f"127.0.0.1:{free_port()}"
    db = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    process = subprocess.Popen(
        [*hub_command(), "serve", "--db", db, "--listen", listen]
        + ["--tls-cert", cert, "--tls-key", key],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    host, port = listen.rsplit(":", 1)
    silent = None
    try:
        for line in process.stderr:
            if "listening on https://" in line:
                break
        # Anyone may connect and send nothing: the hub gives up on that handshake after
        # HANDSHAKE_SECONDS (cheroot's own socket timeout would hold everyone up for 10 s).
        silent = socket.create_connection((host, int(port)), timeout=5)
        started = time.monotonic()
        answer = requests.get(f"https://{listen}/login", verify=cert, timeout=30)
        waited = time.monotonic() - started
        assert answer.status_code == 200
        assert waited < CHEROOT_TIMEOUT, f"served after {waited:.1f} s"
    finally:
        process.terminate()
        process.communicate(timeout=30)
        if silent is not None:
            silent.close()
    assert process.returncode == 0
