"""A TCP relay on the host's loopback between the guest's guestfwd and the hub, counting
the bytes the hub sends: how far a download has got, seen from outside the guest (its
HTTPS is end to end; the relay reads nothing of it). Given a `bytes_per_second`, it sends
the hub's bytes no faster: a town hall's slow line."""

from __future__ import annotations

import socket
import threading
import time


class CountingProxy:
    def __init__(self, target_port: int):
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.to_guest = 0  # bytes the hub sent, every connection together
        self.bytes_per_second: float | None = None
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                guest, _ = self.listener.accept()
            except OSError:  # closed
                return
            try:
                hub = socket.create_connection(("127.0.0.1", self.target_port), timeout=10)
            except OSError:
                guest.close()
                continue
            hub.settimeout(None)
            threading.Thread(target=self._pump, args=(guest, hub, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(hub, guest, True), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, counted: bool) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
                if counted:
                    with self._lock:
                        self.to_guest += len(data)
                    if rate := self.bytes_per_second:
                        time.sleep(len(data) / rate)
        except OSError:
            pass  # the guest's power was cut, or the hub stopped
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            source.close()

    def close(self) -> None:
        self.listener.close()
