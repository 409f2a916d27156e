"""One connection of the guest, carried to a port on the host's loopback.

QEMU's user network runs this for every TCP connection the guest opens to a `guestfwd`
address (`guestfwd=tcp:10.0.2.100:8443-cmd:python3 relay.py PORT`), with that connection
as its standard input and output. A chardev target (`-tcp:127.0.0.1:PORT`) would be one
connection opened when QEMU starts, which an HTTPS client making several cannot use.
Nothing is written to standard error: it is the guest's connection too.
"""

from __future__ import annotations

import os
import selectors
import socket
import sys

CHUNK = 64 * 1024


def relay(guest_in: int, guest_out: int, host: socket.socket) -> None:
    selector = selectors.DefaultSelector()
    selector.register(guest_in, selectors.EVENT_READ)
    selector.register(host, selectors.EVENT_READ)
    while True:
        for key, _ in selector.select():
            if key.fileobj is host:
                data = host.recv(CHUNK)
                if not data:  # the host closed: so does the guest's end
                    return
                view = memoryview(data)
                while view:
                    view = view[os.write(guest_out, view) :]
            else:
                data = os.read(guest_in, CHUNK)
                if not data:  # the guest finished sending; the answer may still come
                    selector.unregister(guest_in)
                    host.shutdown(socket.SHUT_WR)
                else:
                    host.sendall(data)


def main() -> int:
    try:
        with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10) as host:
            host.settimeout(None)
            relay(0, 1, host)
    except OSError:
        return 1  # the guest sees its connection closed
    return 0


if __name__ == "__main__":
    sys.exit(main())
