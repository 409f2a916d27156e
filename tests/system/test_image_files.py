"""The built image file, read without mounting it: partition table, boot files, root contents."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import initrd
import layout
import pytest

from wire.release import parse_version


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def fat(image: Path, placed, name: str) -> str:
    return f"{image}@@{placed[name].offset_bytes}"


def read_fat(image: Path, placed, name: str, path: str) -> str:
    return run("mtype", "-i", fat(image, placed, name), f"::{path}").replace("\r\n", "\n")


def read_root(image: Path, placed, path: str) -> str:
    spec = f"{image}?offset={placed['root-a'].offset_bytes}"
    return run("debugfs", "-R", f"cat {path}", spec)


def stat_root(image: Path, placed, path: str) -> str:
    spec = f"{image}?offset={placed['root-a'].offset_bytes}"
    return subprocess.run(
        ["debugfs", "-R", f"stat {path}", spec], capture_output=True, text=True
    ).stdout


def test_gpt_has_the_six_partitions_in_order(image_file):
    table = json.loads(run("sfdisk", "--json", str(image_file)))["partitiontable"]
    assert table["label"] == "gpt"
    names = [p["name"] for p in table["partitions"]]
    assert names == ["TOTEMCFG", "boot-a", "boot-b", "root-a", "root-b", "data"]
    for part, expected in zip(table["partitions"], layout.partitions(), strict=True):
        assert part["uuid"].lower() == expected.partuuid
        assert part["size"] * 512 == expected.size_mib * layout.MIB


def test_image_fits_a_4gb_card(image_file):
    assert image_file.stat().st_size < layout.CARD_4GB_BYTES


@pytest.mark.parametrize("slot", ["a", "b"])
def test_boot_partitions_hold_firmware_and_device_trees_and_a_kernel(image_file, placed, slot):
    listing = run("mdir", "-b", "-i", fat(image_file, placed, f"boot-{slot}"), "::/")
    files = {line.rsplit("/", 1)[-1] for line in listing.split()}
    expected = {"start4.elf", "fixup4.dat", "config.txt", "cmdline.txt", "vmlinuz", "initrd.img"}
    assert expected <= files
    assert "bcm2711-rpi-4-b.dtb" in files


def copy_out(image: Path, placed, name: str, path: str, dest: Path) -> bytes:
    run("mcopy", "-i", fat(image, placed, name), f"::{path}", str(dest))
    return dest.read_bytes()


def test_both_slots_boot_the_same_files(image_file, placed, tmp_path):
    for path in ("vmlinuz", "initrd.img", "config.txt", "bcm2711-rpi-4-b.dtb"):
        a = copy_out(image_file, placed, "boot-a", path, tmp_path / f"a-{path}")
        b = copy_out(image_file, placed, "boot-b", path, tmp_path / f"b-{path}")
        assert a == b, path


@pytest.fixture(scope="module")
def initrd_members(image_file, placed, tmp_path_factory) -> list[str]:
    dest = tmp_path_factory.mktemp("initrd") / "initrd.img"
    data = copy_out(image_file, placed, "boot-a", "initrd.img", dest)
    print(f"\ninitrd.img: {len(data) / 1024 / 1024:.1f} MB")
    return initrd.members(data)


@pytest.mark.parametrize(
    "module",
    [
        "drivers/mmc/host/sdhci-iproc",  # the Pi 4's SD card
        "drivers/mmc/host/bcm2835",  # its other SD controller
        "drivers/regulator/gpio-regulator",  # the SD card's 1.8 V supply
        "drivers/reset/reset-raspberrypi",  # the USB chip's reset (PCIe itself is built in)
        "drivers/usb/storage/uas",  # USB boot
        "drivers/block/virtio_blk",  # QEMU's disk in the system test
        "fs/ext4/ext4",  # the root's file system
    ],
)
def test_initrd_has_what_finding_root_needs(initrd_members, module):
    assert any(f"/kernel/{module}.ko" in name for name in initrd_members), module


@pytest.mark.parametrize(
    "driver",
    [
        "drivers/gpu",  # the display loads from the root, after it is mounted
        "drivers/net/ethernet",
        "drivers/infiniband",
        "drivers/ata",
        "fs/xfs",
    ],
)
def test_initrd_leaves_out_what_a_totem_does_not_boot_from(initrd_members, driver):
    assert not any(f"/kernel/{driver}/" in name for name in initrd_members), driver


def test_initrd_leaves_out_udevs_hardware_database(initrd_members):
    assert not any(name.endswith("udev/hwdb.bin") for name in initrd_members)


@pytest.mark.parametrize("slot", ["a", "b"])
def test_each_cmdline_names_its_own_root_read_only(image_file, placed, slot):
    text = read_fat(image_file, placed, f"boot-{slot}", "cmdline.txt")
    root = layout.by_name(layout.partitions(), f"root-{slot}")
    assert f"root=PARTUUID={root.partuuid}" in text.split()
    assert "ro" in text.split() and "console=ttyS1,115200" in text.split()
    assert f"rauc.slot={slot.upper()}" in text.split()  # the updater's name of this system


def test_config_txt_loads_debian_kernel_and_initrd(image_file, placed):
    text = read_fat(image_file, placed, "boot-a", "config.txt")
    assert "arm_64bit=1" in text and "kernel=vmlinuz" in text
    assert "initramfs initrd.img followkernel" in text and "enable_uart=1" in text


def test_totemcfg_holds_autoboot_commented_totem_toml_and_notice(image_file, placed):
    autoboot = read_fat(image_file, placed, "TOTEMCFG", "autoboot.txt")
    assert autoboot == layout.autoboot(layout.partitions())
    toml = read_fat(image_file, placed, "TOTEMCFG", "totem.toml")
    assert "# kiosk_id = " in toml
    assert "kiosk_id" in read_fat(image_file, placed, "TOTEMCFG", "LISEZMOI.txt")


def test_root_is_mounted_read_only_and_data_is_persistent(image_file, placed):
    fstab = read_root(image_file, placed, "/etc/fstab")
    mounts = {
        line.split()[1]: line.split()[3]
        for line in fstab.splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert "/" not in mounts  # the slot's cmdline.txt mounts it "ro"
    assert "/var/lib/totem" in mounts and "/tmp" in mounts
    assert "symlink" in stat_root(image_file, placed, "/var/log/journal").lower()


def test_kiosk_is_installed_without_pip_and_starts_at_boot(image_file, placed):
    assert "from appliance.cli import main" in read_root(image_file, placed, "/usr/bin/totem")
    info = json.loads(read_root(image_file, placed, "/usr/lib/totem/build-info.json"))
    assert set(info) == {"version", "release", "source_date_epoch", "commit"}
    wants = "/etc/systemd/system/multi-user.target.wants/totem-ui.service"
    assert "symlink" in stat_root(image_file, placed, wants).lower()
    unit = read_root(image_file, placed, "/usr/lib/systemd/system/totem-ui.service")
    assert "Type=notify" in unit
    assert "Type:" not in stat_root(image_file, placed, "/usr/bin/pip3")


def test_the_root_says_its_release_and_the_slots_the_updater_switches(image_file, placed):
    info = json.loads(read_root(image_file, placed, "/usr/lib/totem/build-info.json"))
    stamp = read_root(image_file, placed, "/usr/lib/totem/version").strip()
    assert str(parse_version(stamp)) == stamp == info["release"]
    assert stamp.startswith(info["version"] + "+")
    slots = json.loads(read_root(image_file, placed, "/usr/lib/totem/slots.json"))
    assert slots == layout.slots(layout.partitions())
    assert slots["boot_partitions"] == {"A": 2, "B": 3}


def test_kiosk_user_cannot_log_in_and_no_remote_login_exists(image_file, placed):
    passwd = read_root(image_file, placed, "/etc/passwd")
    totem = next(line for line in passwd.splitlines() if line.startswith("totem:"))
    assert totem.endswith(":/usr/sbin/nologin")
    shadow = read_root(image_file, placed, "/etc/shadow")
    entry = next(line for line in shadow.splitlines() if line.startswith("totem:"))
    assert entry.split(":")[1][:1] in ("!", "*")
    assert "Type:" not in stat_root(image_file, placed, "/usr/sbin/sshd")


@pytest.mark.parametrize("unit", ["getty@tty1.service", "ctrl-alt-del.target", "autovt@.service"])
def test_console_login_and_ctrl_alt_del_are_masked(image_file, placed, unit):
    text = stat_root(image_file, placed, f"/etc/systemd/system/{unit}")
    assert "symlink" in text.lower() and "/dev/null" in text


def test_sysrq_is_off(image_file, placed):
    assert "kernel.sysrq = 0" in read_root(image_file, placed, "/usr/lib/sysctl.d/90-totem.conf")
