"""The DNS servers the network gave by DHCP, for a totem.toml whose `network.dns` is empty.

systemd-networkd keeps each DHCP lease in /run/systemd/netif/leases/<ifindex>, one
`KEY=value` a line; `DNS=` lists the servers separated by spaces. A path unit re-applies
the policy when these files change (totem-netpolicy-refresh.path).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

LEASES_DIR = Path("/run/systemd/netif/leases")


def dhcp_resolvers(leases_dir: Path = LEASES_DIR) -> tuple[str, ...]:
    """Every DNS server address found in the lease files, deduplicated and sorted."""
    found: set[str] = set()
    try:
        leases = sorted(p for p in Path(leases_dir).iterdir() if p.is_file())
    except OSError:
        return ()
    for lease in leases:
        try:
            lines = lease.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            if line.startswith("DNS="):
                found.update(_addresses(line[len("DNS=") :].split()))
    return tuple(sorted(found))


def _addresses(words: list[str]) -> list[str]:
    addresses = []
    for word in words:
        try:
            addresses.append(str(ipaddress.ip_address(word)))
        except ValueError:
            continue  # a malformed entry must not stop the others
    return addresses
