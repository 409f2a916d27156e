"""What runs Totem on a developer's machine, never on a totem: the three-process demo of
`make run` (`launcher.py`), a real hub on loopback for it, the benchmarks and the tests
(`localhub.py`), and the sync benchmark (`sync_bench.py`). The image copies `appliance/`
and `wire/` only.
"""
