"""`make bench`: what an update where only the appliance changed would fetch.

RAUC's adaptive `block-hash-index` install reads, from a streamed bundle, only the 4 KiB
blocks of the new root that no installed slot holds already. This bench measures that
figure on the root `make image` just built: it rebuilds the root filesystem with one
appliance module changed (and the release number, as a real release would), exactly as
stage 60 makes it (image/ext4.sh), and counts the new root's blocks not found anywhere in
the old one. It prints that against the full bundle the totem downloads today.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import layout  # image/layout.py, beside this file: the card's partitions

HERE = Path(__file__).resolve().parent
BUILD = Path(os.environ.get("BUILD", HERE.parent / "build"))
WORK = BUILD / "work"
BLOCK = 4096
ZERO = bytes(BLOCK)
APPLIANCE = "usr/lib/python3/dist-packages/appliance"
CHANGED = f"{APPLIANCE}/ui/app.py"


def block_hashes(path: Path) -> list[bytes]:
    """SHA-256 of each non-zero 4 KiB block (zero blocks cost nothing: RAUC writes them)."""
    found = []
    with path.open("rb") as file:
        while block := file.read(BLOCK):
            if block != ZERO[: len(block)]:
                found.append(hashlib.sha256(block).digest())
    return found


def changed_tree(rootfs: Path, into: Path) -> Path:
    """A hard-linked copy of the root where what a one-module release changes is new: the
    module, its byte-code and the version file (new files: the built root stays as it is)."""
    tree = into / "rootfs"
    subprocess.run(["cp", "-al", str(rootfs), str(tree)], check=True)
    changed = [tree / CHANGED, tree / "usr/lib/totem/version"]
    changed += (tree / APPLIANCE / "ui" / "__pycache__").glob("app.*.pyc")
    for target in changed:
        content = target.read_bytes()
        target.unlink()  # break the hard link
        target.write_bytes(content + b"\n# the next release\n")
    return tree


def main() -> int:
    old_root, rootfs = WORK / "fs" / "root-a.ext4", WORK / "rootfs"
    bundles = sorted(BUILD.glob("totem-*-rpi4-arm64.raucb"), key=lambda p: p.stat().st_mtime)
    if not (
        old_root.is_file() and rootfs.is_dir() and bundles and (BUILD / "manifest.json").is_file()
    ):
        print("update size: skipped (run `make image` and `make bundle` first)")
        return 0
    if os.geteuid() != 0:
        print("update size: skipped (reading the built root needs root)")
        return 0
    with tempfile.TemporaryDirectory(dir=BUILD) as scratch:
        tree = changed_tree(rootfs, Path(scratch))
        new_root = Path(scratch) / "root.ext4"
        root = next(p for p in layout.place(layout.partitions()) if p.partition.name == "root-a")
        # The image's own build time (its manifest): ext4.sh writes it into the superblock.
        epoch = json.loads((BUILD / "manifest.json").read_text())["source_date_epoch"]
        subprocess.run(
            [str(HERE / "ext4.sh"), "root-a", root.partition.label, str(root.size_bytes),
             str(tree), str(new_root)],
            check=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": str(epoch)},
            stdout=subprocess.DEVNULL,  # mkfs.ext4 -q still names the file it creates
        )  # fmt: skip
        shutil.rmtree(tree)
        have = set(block_hashes(old_root))
        new = block_hashes(new_root)
    missing = sum(1 for digest in new if digest not in have)
    bundle = bundles[-1].stat().st_size
    fetched = missing * BLOCK
    print(f"update size: one appliance module changed ({CHANGED})")
    print(f"  new root: {len(new)} used blocks, {missing} not in the running root")
    print(f"  adaptive (block-hash-index) fetch: {fetched / 2**20:.1f} MiB uncompressed")
    print(f"  full bundle today: {bundle / 2**20:.1f} MiB ({bundles[-1].name})")
    print(f"  ratio: {100 * fetched / bundle:.1f} % of the bundle")
    print("  (a totem downloads the whole bundle today: fetching only these blocks needs")
    print("   RAUC's streaming install from the hub, not built yet)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
