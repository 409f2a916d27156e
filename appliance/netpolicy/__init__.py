"""Locked-down networking: the totem reaches its hub, update and time servers and the town
hall's chosen sites, nothing else.

- `allowlist`: the allow-list, computed once from totem.toml and the content (pure).
- `nftables`, `dnsmasq`: that allow-list rendered as `table inet totem` and the local
  resolver's configuration (pure).
- `apply`: installing both on the device, failing closed, `status` figures (I/O).
- `status`: the last outcome, `/run/totem/netpolicy.json`, read through `read_state()`.
"""

from appliance.netpolicy.allowlist import AllowList, Destination, PolicyError, compute_allowlist
from appliance.netpolicy.dnsmasq import render_dnsmasq
from appliance.netpolicy.nftables import render_fail_closed, render_nftables
from appliance.netpolicy.status import read_state

__all__ = [
    "AllowList",
    "Destination",
    "PolicyError",
    "compute_allowlist",
    "read_state",
    "render_dnsmasq",
    "render_fail_closed",
    "render_nftables",
]
