"""image/relay.py, as QEMU's guestfwd runs it: the guest's connection on its standard input
and output, a real server on the host's loopback, several connections one after another."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading

import qemu


def server(answers: int) -> tuple[socket.socket, threading.Thread]:
    """A loopback server that reads until the client stops sending, then answers 'got N'."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        for _ in range(answers):
            conn, _ = listener.accept()
            with conn:
                received = b""
                while chunk := conn.recv(65536):
                    received += chunk
                conn.sendall(b"got %d" % len(received))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return listener, thread


def through_relay(port: int, payload: bytes) -> tuple[bytes, int]:
    guest, relay_end = socket.socketpair()
    with guest, relay_end:
        process = subprocess.Popen(
            [sys.executable, str(qemu.RELAY), str(port)],
            stdin=relay_end.fileno(),
            stdout=relay_end.fileno(),
            stderr=subprocess.DEVNULL,
        )
        relay_end.close()
        guest.sendall(payload)
        guest.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := guest.recv(65536):
            answer += chunk
        return answer, process.wait(timeout=10)


def test_each_connection_is_carried_both_ways_and_closed():
    listener, thread = server(answers=3)
    with listener:
        port = listener.getsockname()[1]
        big = bytes(range(256)) * 4096  # 1 MiB, more than one read either way
        assert through_relay(port, b"hello") == (b"got 5", 0)
        assert through_relay(port, big) == (b"got %d" % len(big), 0)
        assert through_relay(port, b"") == (b"got 0", 0)
        thread.join(timeout=10)


def test_nothing_listening_closes_the_guests_connection():
    spare = socket.create_server(("127.0.0.1", 0))
    port = spare.getsockname()[1]
    spare.close()
    assert through_relay(port, b"") == (b"", 1)
