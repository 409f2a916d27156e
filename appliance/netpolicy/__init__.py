"""Locked-down networking: the totem reaches its hub, update and time servers and the town
hall's chosen sites, nothing else.

- `entries`: one allow-list entry checked (pure; the config schema uses it too);
  `suffixes`: the public suffixes no wildcard may cover.
- `allowlist`: the allow-list, computed once from totem.toml and the content (pure).
- `nftables`, `dnsmasq`: that allow-list rendered as `table inet totem` and the local
  resolver's configuration (pure).
- `apply`: installing both on the device, failing closed, `status` figures (I/O).
- `status`: the last outcome, `/run/totem/netpolicy.json`, read through `read_state()`.
"""
