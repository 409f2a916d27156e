"""Flows tried from inside a network namespace, run as `python3 netpolicy_probe.py FLOWS_JSON`.

Each flow is a JSON object; all flows run at once in threads, so a batch of dropped
flows costs one timeout, not one each. Prints one JSON list of outcomes, in order:
- {"op": "dns", "name", "qtype": "A"|"AAAA", "server", "port"?, "tcp"?}
    -> {"rcode": int | None, "addresses": [...]}   (rcode None: no answer at all)
- {"op": "tcp", "host", "port", "send"?}  -> {"result": "open"|"refused"|"timeout"|"error"}
- {"op": "udp", "host", "port"}           -> {"result": "reply"|"timeout"|"error"}
- {"op": "resolve", "name"}               -> {"addresses": [...]} through the system resolver
- {"op": "dhcp", "interface"}             -> {"result": "reply"|"timeout", "offered"?}
Only the standard library: it runs with the system's python3 inside `ip netns exec`.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import struct
import sys
from concurrent.futures import ThreadPoolExecutor

TIMEOUT = float(os.environ.get("PROBE_TIMEOUT", "1.5"))
QTYPES = {"A": 1, "AAAA": 28}


def _family(host: str) -> int:
    return socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET


def _query(name: str, qtype: str) -> bytes:
    header = struct.pack(">HHHHHH", 0x5151, 0x0100, 1, 0, 0, 0)
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.strip(".").split("."))
    return header + labels + b"\0" + struct.pack(">HH", QTYPES[qtype], 1)


def _skip_name(packet: bytes, offset: int) -> int:
    while True:
        length = packet[offset]
        if length & 0xC0 == 0xC0:
            return offset + 2
        if length == 0:
            return offset + 1
        offset += length + 1


def _parse(packet: bytes) -> dict:
    _id, flags, qdcount, ancount, _ns, _ar = struct.unpack(">HHHHHH", packet[:12])
    offset = 12
    for _ in range(qdcount):
        offset = _skip_name(packet, offset) + 4
    addresses = []
    for _ in range(ancount):
        offset = _skip_name(packet, offset)
        rtype, _cls, _ttl, length = struct.unpack(">HHIH", packet[offset : offset + 10])
        offset += 10
        data = packet[offset : offset + length]
        if rtype == 1:
            addresses.append(socket.inet_ntop(socket.AF_INET, data))
        elif rtype == 28:
            addresses.append(socket.inet_ntop(socket.AF_INET6, data))
        offset += length
    return {"rcode": flags & 0xF, "addresses": addresses}


def dns(flow: dict) -> dict:
    server, port = flow["server"], flow.get("port", 53)
    message = _query(flow["name"], flow.get("qtype", "A"))
    try:
        if flow.get("tcp"):
            with socket.create_connection((server, port), timeout=TIMEOUT) as sock:
                sock.sendall(struct.pack(">H", len(message)) + message)
                length = struct.unpack(">H", _recv_exactly(sock, 2))[0]
                return _parse(_recv_exactly(sock, length))
        with socket.socket(_family(server), socket.SOCK_DGRAM) as sock:
            sock.settimeout(TIMEOUT)
            sock.sendto(message, (server, port))
            return _parse(sock.recv(4096))
    except OSError as error:
        return {"rcode": None, "addresses": [], "error": str(error)}


def _recv_exactly(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("connection closed")
        data += chunk
    return data


def tcp(flow: dict) -> dict:
    try:
        with socket.create_connection((flow["host"], flow["port"]), timeout=TIMEOUT) as sock:
            reply = b""
            if flow.get("send"):  # the listeners greet with one line, then echo
                while not reply.endswith(b"\n"):
                    chunk = sock.recv(1024)
                    if not chunk:
                        break
                    reply += chunk
                sock.sendall(flow["send"].encode())
                reply += sock.recv(1024)
            return {"result": "open", "reply": reply.decode(errors="replace")}
    except ConnectionRefusedError:
        return {"result": "refused"}
    except TimeoutError:
        return {"result": "timeout"}
    except OSError as error:
        return {"result": "error", "error": str(error)}


def udp(flow: dict) -> dict:
    try:
        with socket.socket(_family(flow["host"]), socket.SOCK_DGRAM) as sock:
            sock.settimeout(TIMEOUT)
            sock.sendto(b"probe", (flow["host"], flow["port"]))
            sock.recv(1024)
            return {"result": "reply"}
    except TimeoutError:
        return {"result": "timeout"}
    except OSError as error:
        return {"result": "error", "error": str(error)}


def resolve(flow: dict) -> dict:
    try:
        infos = socket.getaddrinfo(flow["name"], 443, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        return {"addresses": [], "error": str(error)}
    return {"addresses": sorted({info[4][0] for info in infos})}


def dhcp(flow: dict) -> dict:
    """A DHCPDISCOVER broadcast on `interface`; "reply" when an offer comes back."""
    xid = os.urandom(4)
    mac = bytes.fromhex("02aabbccddee")
    message = (
        bytes([1, 1, 6, 0])
        + xid
        + b"\0\0"
        + b"\x80\0"  # BOOTREQUEST, reply by broadcast
        + b"\0" * 16
        + mac
        + b"\0" * 10
        + b"\0" * 192
        + bytes.fromhex("63825363")
        + bytes([53, 1, 1, 255])  # magic cookie, DHCPDISCOVER
    )
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, flow["interface"].encode())
        sock.bind(("0.0.0.0", 68))
        sock.settimeout(TIMEOUT)
        try:
            sock.sendto(message, ("255.255.255.255", 67))
            while True:
                reply = sock.recv(2048)
                if reply[0] == 2 and reply[4:8] == xid:
                    return {"result": "reply", "offered": socket.inet_ntoa(reply[16:20])}
        except TimeoutError:
            return {"result": "timeout"}
        except OSError as error:
            return {"result": "error", "error": str(error)}


OPS = {"dns": dns, "tcp": tcp, "udp": udp, "resolve": resolve, "dhcp": dhcp}


def main() -> None:
    flows = json.loads(sys.argv[1])
    with ThreadPoolExecutor(max_workers=max(1, len(flows))) as pool:
        results = list(pool.map(lambda flow: OPS[flow["op"]](flow), flows))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
