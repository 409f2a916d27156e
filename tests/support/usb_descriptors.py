"""USB descriptors written out by hand for the USB lockdown's tests, as a device sends them."""

from __future__ import annotations


def descriptors(device_class: int, *interfaces: tuple[int, int, int, int]) -> bytes:
    """A device descriptor, one configuration and its interface descriptors (number,
    class, subclass, protocol; altsetting 0), each followed by an endpoint, as USB 2.0
    chapter 9 lays them out."""
    device = bytes([18, 1, 0x00, 0x02, device_class, 0, 0, 64, 0x27, 0x06, 0x01, 0x00,
                    0, 0, 1, 2, 3, 1])  # fmt: skip
    body = b""
    for number, cls, sub, proto in interfaces:
        body += bytes([9, 4, number, 0, 1, cls, sub, proto, 0])
        body += bytes([7, 5, 0x81, 3, 8, 0, 10])
    total = 9 + len(body)
    config = bytes([9, 2, total & 0xFF, total >> 8, len(interfaces), 1, 0, 0xA0, 50])
    return device + config + body
