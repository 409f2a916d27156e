"""RAUC's post-install handler: the boot files just written into a slot name that slot.

A bundle carries one set of boot files (built for slot A); after RAUC wrote them into the
other slot's boot partition, this points its cmdline.txt at that slot's own root
(`root=PARTUUID=`) and name (`rauc.slot=`), or the new kernel would mount the old root.
The FAT partition is edited with mtools, never mounted. RAUC passes the slots in its
environment (RAUC_TARGET_SLOTS, RAUC_SLOT_{NAME,CLASS,DEVICE,BOOTNAME,PARENT}_<N>).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from appliance.update.backend import Paths

BOOT_CLASS = "boot"


class PostInstallError(Exception):
    pass


def boot_targets(env: Mapping[str, str]) -> list[tuple[str, str]]:
    """(device, bootname of its root) of each boot slot RAUC just wrote."""
    names = {env.get(f"RAUC_SLOT_NAME_{n}"): n for n in env.get("RAUC_SLOTS", "").split()}
    found = []
    for n in env.get("RAUC_TARGET_SLOTS", "").split():
        if env.get(f"RAUC_SLOT_CLASS_{n}") != BOOT_CLASS:
            continue
        parent = names.get(env.get(f"RAUC_SLOT_PARENT_{n}", ""))
        bootname = env.get(f"RAUC_SLOT_BOOTNAME_{parent}", "") if parent else ""
        if not bootname:
            raise PostInstallError(f"boot slot {env.get(f'RAUC_SLOT_NAME_{n}')} has no root")
        found.append((env[f"RAUC_SLOT_DEVICE_{n}"], bootname))
    return found


def cmdline_for(text: str, slot: str, root_partuuid: str) -> str:
    """`text` (one line of kernel arguments) naming `slot` and its root."""
    words = [w for w in text.split() if not w.startswith(("root=", "rauc.slot="))]
    if len(words) == len(text.split()):
        raise PostInstallError("cmdline.txt names no root= to replace")
    return " ".join([*words, f"root=PARTUUID={root_partuuid}", f"rauc.slot={slot}"]) + "\n"


def fix_boot_slot(device: str, slot: str, root_partuuid: str) -> None:
    shown = subprocess.run(["mtype", "-i", device, "::cmdline.txt"], capture_output=True, text=True)
    if shown.returncode != 0:
        raise PostInstallError(f"no cmdline.txt on {device}: {shown.stderr.strip()}")
    fixed = cmdline_for(shown.stdout, slot, root_partuuid)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as out:
        out.write(fixed)
    try:
        subprocess.run(
            ["mcopy", "-o", "-i", device, out.name, "::cmdline.txt"],
            check=True,
            capture_output=True,
        )
    finally:
        os.unlink(out.name)


def main() -> int:
    import json

    paths = Paths.from_env(os.environ)
    try:
        uuids = json.loads(Path(paths.slots).read_text(encoding="utf-8"))["partuuids"]
        for device, slot in boot_targets(os.environ):
            fix_boot_slot(device, slot, uuids[slot]["root"])
            print(f"boot files of slot {slot} name root PARTUUID={uuids[slot]['root']}")
    except (PostInstallError, OSError, KeyError, ValueError, subprocess.CalledProcessError) as e:
        print(f"totem-post-install: {e}", file=sys.stderr)
        return 1  # RAUC then fails the install: the slot is not marked for a trial
    return 0


if __name__ == "__main__":
    sys.exit(main())
