"""RAUC's post-install handler on a real FAT image: the boot files a bundle wrote into slot
B's boot partition are pointed at root-b, edited with mtools as on the totem."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import layout  # image/layout.py
import pytest

from appliance.update.postinstall import PostInstallError, boot_targets, cmdline_for

PARTS = layout.partitions()


def rauc_env(device: str) -> dict[str, str]:
    """What RAUC 1.8 passes after installing into slot pair B."""
    return {
        "RAUC_SLOTS": "1 2 3 4",
        "RAUC_TARGET_SLOTS": "3 4",
        **{f"RAUC_SLOT_NAME_{n}": name for n, name in
           enumerate(("rootfs.0", "boot.0", "rootfs.1", "boot.1"), 1)},
        **{f"RAUC_SLOT_CLASS_{n}": c for n, c in enumerate(("rootfs", "boot") * 2, 1)},
        "RAUC_SLOT_BOOTNAME_1": "A", "RAUC_SLOT_BOOTNAME_3": "B",
        "RAUC_SLOT_PARENT_2": "rootfs.0", "RAUC_SLOT_PARENT_4": "rootfs.1",
        "RAUC_SLOT_DEVICE_3": "/dev/disk/by-partlabel/root-b",
        "RAUC_SLOT_DEVICE_4": device,
    }  # fmt: skip


def test_the_boot_slot_written_and_the_root_it_belongs_to():
    assert boot_targets(rauc_env("/dev/mmcblk0p3")) == [("/dev/mmcblk0p3", "B")]
    text = layout.cmdline(layout.by_name(PARTS, "root-a"))
    root_b = layout.by_name(PARTS, "root-b").partuuid
    fixed = cmdline_for(text, "B", root_b)
    assert f"root=PARTUUID={root_b}" in fixed.split() and "rauc.slot=B" in fixed.split()
    assert "rauc.slot=A" not in fixed and fixed.count("root=") == 1
    assert fixed.endswith("\n") and "console=ttyS1,115200" in fixed.split()
    with pytest.raises(PostInstallError):
        cmdline_for("console=tty1 quiet", "B", root_b)


def test_the_handler_rewrites_cmdline_txt_in_the_fat_image(tmp_path):
    for tool in ("mkfs.vfat", "mcopy", "mtype"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (dosfstools, mtools)")
    boot = tmp_path / "boot-b.vfat"
    subprocess.run(["mkfs.vfat", "-C", str(boot), "8192"], check=True, capture_output=True)
    source = tmp_path / "cmdline.txt"
    source.write_text(layout.cmdline(layout.by_name(PARTS, "root-a")))  # the bundle's, slot A
    subprocess.run(["mcopy", "-i", str(boot), str(source), "::cmdline.txt"], check=True)
    slots = tmp_path / "slots.json"
    slots.write_text(json.dumps(layout.slots(PARTS)))
    env = {**os.environ, **rauc_env(str(boot)), "TOTEM_SLOTS": str(slots)}
    done = subprocess.run(
        [sys.executable, "-m", "appliance.update.postinstall"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    shown = subprocess.run(
        ["mtype", "-i", str(boot), "::cmdline.txt"], capture_output=True, text=True, check=True
    ).stdout
    # The same arguments the image gives slot B's own cmdline.txt (order aside).
    slot_b = layout.cmdline(layout.by_name(PARTS, "root-b"))
    assert sorted(shown.split()) == sorted(slot_b.split())
    broken = {**env, "RAUC_SLOT_DEVICE_4": str(tmp_path / "missing.vfat")}
    failed = subprocess.run(
        [sys.executable, "-m", "appliance.update.postinstall"],
        capture_output=True, text=True, env=broken, timeout=60,
    )  # fmt: skip
    assert failed.returncode == 1 and failed.stderr.startswith("totem-post-install: ")
