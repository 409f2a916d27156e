"""build/manifest.json: every Debian package in the root with its version, and the build's identity.

`python3 image/manifest.py ROOTFS --version V --commit C --source-date-epoch N --kernel K`
reads ROOTFS/var/lib/dpkg/status (no emulation needed) and prints the JSON document.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def installed_packages(status_text: str) -> dict[str, str]:
    """{package: version} of the packages dpkg's status file marks as installed."""
    packages: dict[str, str] = {}
    for stanza in status_text.split("\n\n"):
        fields: dict[str, str] = {}
        for line in stanza.splitlines():
            if line and not line[0].isspace() and ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        if fields.get("Status", "").endswith(" installed") and "Package" in fields:
            arch = fields.get("Architecture", "")
            name = fields["Package"]
            # Same package name in two architectures would collide: keep the foreign one apart.
            key = name if arch in ("arm64", "all", "") else f"{name}:{arch}"
            packages[key] = fields.get("Version", "")
    return dict(sorted(packages.items()))


def manifest(rootfs: Path, version: str, commit: str, epoch: int, kernel: str) -> dict:
    status = (rootfs / "var/lib/dpkg/status").read_text(encoding="utf-8")
    return {
        "name": f"totem-{version}-rpi4-arm64",
        "version": version,
        "commit": commit,
        "source_date_epoch": epoch,
        "distribution": "debian trixie arm64 (main, non-free-firmware)",
        "kernel": kernel,
        "packages": installed_packages(status),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rootfs", type=Path)
    parser.add_argument("--version", required=True)
    parser.add_argument("--commit", required=True)
    parser.add_argument("--source-date-epoch", type=int, required=True)
    parser.add_argument("--kernel", default="")
    args = parser.parse_args(argv)
    doc = manifest(args.rootfs, args.version, args.commit, args.source_date_epoch, args.kernel)
    json.dump(doc, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
