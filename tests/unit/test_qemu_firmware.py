"""The QEMU runner plays the Pi firmware: autoboot.txt read on a real FAT partition of a
disk file laid out like the card, and the guest's way out read from its console."""

from __future__ import annotations

import shutil
import subprocess

import layout  # image/layout.py
import pytest
import qemu  # image/qemu.py

from appliance.update.autoboot import Autoboot, render


@pytest.fixture
def card(tmp_path):
    for tool in ("mkfs.vfat", "mcopy", "mtype"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (dosfstools, mtools)")
    placed = {p.partition.name: p for p in layout.place(layout.partitions())}
    cfg = placed["TOTEMCFG"]
    disk = tmp_path / "disk.img"
    subprocess.run(
        ["truncate", "-s", str(cfg.offset_bytes + cfg.size_bytes), str(disk)], check=True
    )
    sectors = cfg.offset_bytes // layout.SECTOR
    subprocess.run(
        [
            "mkfs.vfat",
            "--offset",
            str(sectors),
            "-n",
            "TOTEMCFG",
            str(disk),
            str(cfg.size_bytes // 1024),
        ],
        check=True,
        capture_output=True,
    )
    return disk


def put_autoboot(disk, text: str) -> None:
    source = disk.parent / "autoboot.txt"
    source.write_text(text)
    subprocess.run(
        ["mcopy", "-o", "-i", qemu.fat(disk, "TOTEMCFG"), str(source), "::autoboot.txt"], check=True
    )


def test_the_firmware_starts_what_autoboot_txt_names(card):
    put_autoboot(card, layout.autoboot(layout.partitions()))
    assert qemu.firmware_choice(card, tryboot=False) == "boot-a"
    assert qemu.firmware_choice(card, tryboot=True) == "boot-b"
    put_autoboot(card, render(Autoboot(3, 2)))  # after an update to B was confirmed
    assert qemu.firmware_choice(card, tryboot=False) == "boot-b"
    assert qemu.firmware_choice(card, tryboot=True) == "boot-a"


def test_a_partition_without_boot_files_is_a_clear_error(card):
    put_autoboot(card, render(Autoboot(4, 2)))  # root-a: ext4, no firmware files
    with pytest.raises(qemu.QemuError, match="partition 4"):
        qemu.firmware_choice(card, tryboot=False)


@pytest.mark.parametrize(
    ("console", "kind"),
    [
        ("...\n[  301.2] reboot: Restarting system with command '0 tryboot'\n", "tryboot"),
        ("...\n[  301.2] reboot: Restarting system\n", "restart"),
        (
            "[ 10.0] reboot: Restarting system with command '0 tryboot'\n"
            "[ 99.0] reboot: Restarting system\n",
            "restart",
        ),
        ("...\n[  88.1] reboot: Power down\n", "power-off"),
        ("[  12.0] systemd[1]: Started totem-ui.service\n", "crash"),
    ],
)
def test_how_the_guest_left_is_read_from_its_last_console_line(console, kind):
    assert qemu.restart_kind(console) == kind
