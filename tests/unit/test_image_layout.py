"""The card layout and the small boot files the image build renders from it."""

from __future__ import annotations

import configparser
import tomllib
from pathlib import Path

from appliance.config import load_config
from appliance.config.schema import SCHEMA

REPO = Path(__file__).resolve().parents[2]

import layout  # noqa: E402
import manifest  # noqa: E402


def test_partitions_are_in_the_order_autoboot_names_them():
    names = [p.name for p in layout.partitions()]
    assert names == ["TOTEMCFG", "boot-a", "boot-b", "root-a", "root-b", "data"]
    assert [p.number for p in layout.partitions()] == [1, 2, 3, 4, 5, 6]


def test_partitions_are_aligned_back_to_back_and_fit_a_4gb_card():
    placed = layout.place(layout.partitions())
    assert placed[0].start_mib == 1
    for before, after in zip(placed, placed[1:], strict=False):
        assert after.start_mib == before.start_mib + before.partition.size_mib
    assert layout.image_bytes(placed) < layout.CARD_4GB_BYTES


def test_sfdisk_script_names_every_partition_with_a_fixed_uuid():
    script = layout.sfdisk_script(layout.place(layout.partitions()))
    assert script.startswith("label: gpt\n")
    assert 'name="TOTEMCFG"' in script and 'name="data"' in script
    assert "start=2048, size=65536" in script  # TOTEMCFG: 32 MiB from 1 MiB
    assert script == layout.sfdisk_script(layout.place(layout.partitions()))


def test_each_slot_cmdline_mounts_its_own_root_read_only_with_a_serial_console():
    parts = layout.partitions()
    root_a, root_b = layout.by_name(parts, "root-a"), layout.by_name(parts, "root-b")
    line_a = layout.cmdline(root_a)
    assert f"root=PARTUUID={root_a.partuuid}" in line_a
    assert f"root=PARTUUID={root_b.partuuid}" in layout.cmdline(root_b)
    assert root_a.partuuid != root_b.partuuid
    assert " ro " in line_a and "console=ttyS1,115200" in line_a
    assert line_a.endswith("\n") and line_a.count("\n") == 1  # the firmware reads one line


def test_autoboot_boots_a_and_tries_b():
    text = layout.autoboot(layout.partitions())
    main, tryboot = text.split("[tryboot]")
    assert "tryboot_a_b=1" in main and "boot_partition=2" in main
    assert "boot_partition=3" in tryboot


def test_rauc_system_conf_pairs_each_root_with_its_own_boot_files():
    conf = configparser.ConfigParser(interpolation=None)
    conf.read_string(layout.rauc_system_conf(layout.partitions()))
    assert conf["system"]["bootloader"] == "custom"
    assert conf["system"]["compatible"] == layout.COMPATIBLE  # what bundles are made for
    assert conf["system"]["data-directory"].startswith("/var/lib/totem/")  # root is read-only
    assert conf["system"]["bundle-formats"] == "-plain"
    uuids = layout.slots(layout.partitions())["partuuids"]
    for index, name in enumerate(("A", "B")):
        root, boot = conf[f"slot.rootfs.{index}"], conf[f"slot.boot.{index}"]
        assert root["bootname"] == name and boot["parent"] == f"rootfs.{index}"
        assert root["device"] == f"/dev/disk/by-partuuid/{uuids[name]['root']}"
        assert boot["device"] == f"/dev/disk/by-partuuid/{uuids[name]['boot']}"
    overlay = REPO / "image/stages/40-configure/02-overlay/files"
    for handler in conf["handlers"].values():  # every handler ships, executable
        shipped = overlay / handler.lstrip("/")
        assert shipped.is_file() and shipped.stat().st_mode & 0o111, handler


def test_fstab_mounts_data_and_config_but_leaves_root_to_the_slot():
    text = layout.fstab(layout.partitions())
    mounts = [line.split()[1] for line in text.splitlines() if not line.startswith("#")]
    assert mounts == ["/run/totem/cfg", "/var/lib/totem", "/tmp", "/var/tmp", "/var/lib/systemd"]
    assert "x-systemd.growfs" in text


def test_manifest_lists_installed_packages_with_versions():
    status = (
        "Package: python3\nStatus: install ok installed\nArchitecture: arm64\nVersion: 3.13.5-1\n\n"
        "Package: gone\nStatus: deinstall ok config-files\nArchitecture: arm64\nVersion: 1\n\n"
        "Package: tzdata\nStatus: install ok installed\nArchitecture: all\nVersion: 2025b-4\n"
        "Description: time zones\n more text: here\n"
    )
    assert manifest.installed_packages(status) == {"python3": "3.13.5-1", "tzdata": "2025b-4"}


def test_shipped_totem_toml_parses_and_comments_every_schema_key():
    path = REPO / "firmware" / "totem.toml"
    load_config(path)  # the file as shipped is valid (all defaults)
    text = path.read_text(encoding="utf-8")
    sections = tomllib.loads(text)
    for section, keys in SCHEMA.items():
        assert section in sections, f"[{section}] missing from firmware/totem.toml"
        for key in keys:
            assert f"# {key} = " in text, f"{section}.{key} missing from firmware/totem.toml"
