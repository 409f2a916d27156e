"""The network probes against real services on loopback: dnsmasq, an HTTP and an HTTPS hub."""

import http.server
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time

import pytest
from tls_support import town_hall_pki as make_tls

from appliance.config import parse_config
from appliance.hwcheck.context import CheckContext
from appliance.hwcheck.network import ask_resolver, check_hub
from appliance.hwcheck.sysroot import Sysroot


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def config_for(url: str, **hub: str):
    extra = "".join(f'{key} = "{value}"\n' for key, value in hub.items())
    text = f'[site]\nkiosk_id = "hall-01"\n[hub]\nurl = "{url}"\nenrollment_token = "t"\n{extra}'
    return parse_config(text)


@pytest.fixture
def dnsmasq(tmp_path):
    if shutil.which("dnsmasq") is None:
        pytest.skip("dnsmasq is not installed (Debian package dnsmasq-base)")
    port = free_port(socket.SOCK_DGRAM)
    command = [
        "dnsmasq",
        "--keep-in-foreground",
        "--conf-file=/dev/null",
        "--no-resolv",
        "--no-hosts",
        "--listen-address=127.0.0.1",
        "--bind-interfaces",
        f"--port={port}",
        "--address=/participation.example.fr/192.0.2.10",
        f"--pid-file={tmp_path}/pid",
    ]
    if os.geteuid() == 0:
        command.append("--user=root")  # no privilege to drop in a throw-away test instance
    process = subprocess.Popen(command, stderr=subprocess.PIPE)
    try:
        for _ in range(100):  # wait until it listens: it answers any query once up
            if ask_resolver("127.0.0.1", "localhost", timeout=0.2, port=port) is None:
                break
            if process.poll() is not None:
                pytest.skip(f"dnsmasq did not start: {process.stderr.read().decode()[:200]}")
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_running_resolver_answers_even_for_names_it_refuses(dnsmasq):
    assert ask_resolver("127.0.0.1", "participation.example.fr", port=dnsmasq) is None
    assert ask_resolver("127.0.0.1", "not-allowed.example.com", port=dnsmasq) is None


def test_a_silent_resolver_is_reported_with_the_reason():
    port = free_port(socket.SOCK_DGRAM)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", port))  # receives, never answers
        why = ask_resolver("127.0.0.1", "example.fr", timeout=0.3, port=port)
    assert why == "no answer from 127.0.0.1 within 0.3 s"
    refused = ask_resolver(
        "127.0.0.1", "example.fr", timeout=0.3, port=free_port(socket.SOCK_DGRAM)
    )
    assert refused and "127.0.0.1" in refused


class Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


def serve(context: ssl.SSLContext | None = None):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_hub_answering_http_is_reachable_whatever_the_status():
    server = serve()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        result = check_hub(CheckContext(Sysroot("/"), config=config_for(url)))
    finally:
        server.shutdown()
    assert (result.status, result.details["http_status"]) == ("ok", 404)


def test_a_hub_that_is_down_is_a_warning_since_the_outbox_keeps_everything():
    url = f"http://127.0.0.1:{free_port()}"
    result = check_hub(CheckContext(Sysroot("/"), config=config_for(url)))
    assert (result.status, result.code, result.critical) == ("warn", "W-HUB", False)


def test_a_hub_with_an_unknown_certificate_is_refused_until_its_ca_is_configured(tmp_path):
    ca, cert, key = make_tls(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = serve(context)
    url = f"https://127.0.0.1:{server.server_port}"
    try:
        refused = check_hub(CheckContext(Sysroot("/"), config=config_for(url)))
        trusted = check_hub(CheckContext(Sysroot("/"), config=config_for(url, ca_bundle=str(ca))))
    finally:
        server.shutdown()
    assert (refused.status, refused.code) == ("fail", "E-HUB-TLS")
    assert (trusted.status, trusted.details["http_status"]) == ("ok", 404)
