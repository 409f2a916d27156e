"""The card's partition layout and the small boot files rendered from it.

Pure logic (no I/O but the command-line entry at the bottom): the build stages call
`python3 image/layout.py <what>` to get the sfdisk script, partition offsets, cmdline.txt,
autoboot.txt, fstab and RAUC's system.conf, and the unit tests check the same functions.

Partition numbers are fixed because the Pi firmware's autoboot.txt names boot partitions by
number: 1 TOTEMCFG, 2 boot-a, 3 boot-b, 4 root-a, 5 root-b, 6 data.
"""

from __future__ import annotations

import json
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

# The appliance owns the autoboot.txt format (its updater rewrites the file on the totem).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from appliance.update import autoboot as autoboot_format  # noqa: E402
from wire.release import COMPATIBLE  # noqa: E402

MIB = 1024 * 1024
SECTOR = 512
# GPT's backup table at the end of the card: 33 sectors (header + 32 sectors of entries).
GPT_BACKUP_SECTORS = 33
# The smallest "4 GB" cards hold 3.7 GiB; the image must fit them with room to spare.
CARD_4GB_BYTES = 3_904_897_024

FAT_TYPE = "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7"  # Microsoft basic data (what the Pi reads)
ROOT_ARM64_TYPE = "B921B045-1DF0-41C3-AF44-4C6F280D3FAE"  # Linux root (arm64)
LINUX_DATA_TYPE = "0FC63DAF-8483-4772-8E79-3D69D8477DE4"  # Linux filesystem

# Stable identifiers: every card of every version carries the same PARTUUIDs, so cmdline.txt of a
# slot stays valid across updates and two builds of one commit are byte-identical.
_NAMESPACE = uuid.UUID("5a1b3c0e-7d1e-4f6e-9a70-7e3701000000")


def stable_uuid(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, name))


@dataclass(frozen=True)
class Partition:
    number: int
    name: str  # GPT partition name (PARTLABEL)
    size_mib: int
    type_guid: str
    filesystem: str  # "vfat" or "ext4"
    label: str  # filesystem label

    @property
    def partuuid(self) -> str:
        return stable_uuid("partition:" + self.name)


@dataclass(frozen=True)
class Placed:
    partition: Partition
    start_mib: int

    @property
    def offset_bytes(self) -> int:
        return self.start_mib * MIB

    @property
    def size_bytes(self) -> int:
        return self.partition.size_mib * MIB


def partitions(boot_mib: int = 256, root_mib: int = 1280, data_mib: int = 128) -> list[Partition]:
    """The six partitions in card order; data is grown to the whole card at first boot."""
    return [
        Partition(1, "TOTEMCFG", 32, FAT_TYPE, "vfat", "TOTEMCFG"),
        Partition(2, "boot-a", boot_mib, FAT_TYPE, "vfat", "BOOT-A"),
        Partition(3, "boot-b", boot_mib, FAT_TYPE, "vfat", "BOOT-B"),
        Partition(4, "root-a", root_mib, ROOT_ARM64_TYPE, "ext4", "root-a"),
        Partition(5, "root-b", root_mib, ROOT_ARM64_TYPE, "ext4", "root-b"),
        Partition(6, "data", data_mib, LINUX_DATA_TYPE, "ext4", "data"),
    ]


def place(parts: list[Partition], first_mib: int = 1) -> list[Placed]:
    """Lay the partitions out back to back from `first_mib`, each aligned to 1 MiB."""
    placed, start = [], first_mib
    for part in parts:
        placed.append(Placed(part, start))
        start += part.size_mib
    return placed


def image_bytes(placed: list[Placed]) -> int:
    """The image file's size: the last partition, then 1 MiB for the backup GPT."""
    last = placed[-1]
    return last.offset_bytes + last.size_bytes + MIB


def sfdisk_script(placed: list[Placed]) -> str:
    """Input for `sfdisk` that writes the GPT (sizes in sectors, names and fixed UUIDs)."""
    lines = [
        "label: gpt",
        f"label-id: {stable_uuid('disk').upper()}",
        "unit: sectors",
        "first-lba: 2048",
        "",
    ]
    for item in placed:
        part = item.partition
        lines.append(
            f"start={item.offset_bytes // SECTOR}, size={item.size_bytes // SECTOR}, "
            f'type={part.type_guid}, uuid={part.partuuid.upper()}, name="{part.name}"'
        )
    return "\n".join(lines) + "\n"


def by_name(parts: list[Partition], name: str) -> Partition:
    return next(p for p in parts if p.name == name)


# RAUC's names of the two systems: slot A is boot-a + root-a, slot B boot-b + root-b.
SLOT_NAMES = {"a": "A", "b": "B"}


def cmdline(root: Partition, console: str = "ttyS1,115200") -> str:
    """cmdline.txt of a boot slot: its own root by PARTUUID, mounted read-only, serial console,
    and `rauc.slot=` so the updater knows which system runs.

    The Pi 4's GPIO serial is the mini UART (ttyS1 with Debian's kernel and `enable_uart=1`);
    the UI's screen (tty1) gets no console and no messages. No USB device is authorized
    by the kernel itself: totem-usb.service and a udev rule let in only what a totem needs.
    """
    slot = SLOT_NAMES[root.name.removeprefix("root-")]
    return (
        f"console={console} root=PARTUUID={root.partuuid} rauc.slot={slot} rootfstype=ext4 ro "
        "rootwait fsck.repair=yes quiet loglevel=3 systemd.show_status=auto "
        "vt.global_cursor_default=0 consoleblank=0 usbcore.authorized_default=0\n"
    )


def autoboot(parts: list[Partition]) -> str:
    """autoboot.txt on TOTEMCFG: boot-a normally, boot-b for one `reboot '0 tryboot'`."""
    choice = autoboot_format.Autoboot(
        by_name(parts, "boot-a").number, by_name(parts, "boot-b").number
    )
    return autoboot_format.render(choice)


def slots(parts: list[Partition]) -> dict:
    """/usr/lib/totem/slots.json: what the updater needs of the layout on the totem."""
    return {
        "boot_partitions": {
            name: by_name(parts, f"boot-{key}").number for key, name in SLOT_NAMES.items()
        },
        "partuuids": {
            name: {
                "boot": by_name(parts, f"boot-{key}").partuuid,
                "root": by_name(parts, f"root-{key}").partuuid,
            }
            for key, name in SLOT_NAMES.items()
        },
    }


# How a bundle's squashfs is compressed (`rauc bundle --mksquashfs-args`). zstd in 1 MiB
# blocks instead of RAUC's default gzip in 128 KiB: measured on the browser's root (1.6 GB
# of images), 12 s to build instead of 62 and 316 MiB instead of 349, and a totem inflates
# zstd faster while RAUC writes the slot. Debian's kernel reads zstd squashfs (SQUASHFS_ZSTD).
BUNDLE_SQUASHFS_ARGS = "-comp zstd -Xcompression-level 9 -b 1M"


def raucm(release: str) -> str:
    """manifest.raucm of an update bundle: one root and its boot files, for the slot pair
    not running (slot classes `rootfs` and `boot`, as the image's system.conf names them)."""
    return (
        "[update]\n"
        f"compatible={COMPATIBLE}\n"
        f"version={release}\n"
        "[bundle]\n"
        "format=verity\n"
        "[image.rootfs]\n"
        "filename=root.ext4\n"
        "[image.boot]\n"
        "filename=boot.vfat\n"
    )


def rauc_system_conf(parts: list[Partition], handlers: str = "/usr/lib/totem") -> str:
    """/etc/rauc/system.conf: two slot pairs (root + its boot files), the Pi's tryboot through
    the custom backend (appliance/update/backend.py), RAUC's own state on the data partition
    (the root is read-only), verity bundles only, signed by the keyring's certificate."""
    lines = [
        "[system]",
        f"compatible={COMPATIBLE}",
        "bootloader=custom",
        "data-directory=/var/lib/totem/rauc",
        "bundle-formats=-plain",
        "",
        "[keyring]",
        "path=/etc/rauc/keyring.pem",
        "",
        "[handlers]",
        f"bootloader-custom-backend={handlers}/rauc-backend",
        f"pre-install={handlers}/rauc-pre-install",
        f"post-install={handlers}/rauc-post-install",
    ]
    for index, key in enumerate(sorted(SLOT_NAMES)):
        root, boot = by_name(parts, f"root-{key}"), by_name(parts, f"boot-{key}")
        lines += [
            "",
            f"[slot.rootfs.{index}]",
            f"device=/dev/disk/by-partuuid/{root.partuuid}",
            "type=ext4",
            f"bootname={SLOT_NAMES[key]}",
            "",
            f"[slot.boot.{index}]",
            f"device=/dev/disk/by-partuuid/{boot.partuuid}",
            "type=vfat",
            f"parent=rootfs.{index}",
        ]
    return "\n".join(lines) + "\n"


def fstab(parts: list[Partition]) -> str:
    """/etc/fstab: no entry for / (each slot's cmdline.txt names its root and mounts it `ro`)."""
    cfg, data = by_name(parts, "TOTEMCFG"), by_name(parts, "data")
    return (
        "# Root is the slot named by cmdline.txt, mounted read-only by the kernel.\n"
        f"PARTUUID={cfg.partuuid} /run/totem/cfg vfat "
        "ro,nofail,noexec,nosuid,nodev,umask=0022 0 0\n"
        f"PARTUUID={data.partuuid} /var/lib/totem ext4 "
        "defaults,noatime,nosuid,nodev,x-systemd.growfs 0 2\n"
        "tmpfs /tmp tmpfs mode=1777,nosuid,nodev,size=25% 0 0\n"
        "tmpfs /var/tmp tmpfs mode=1777,nosuid,nodev,size=10% 0 0\n"
        "tmpfs /var/lib/systemd tmpfs mode=0755,nosuid,nodev,size=8m 0 0\n"
    )


def main(argv: list[str]) -> int:
    """`layout.py sfdisk|offsets|cmdline SLOT|autoboot|fstab|size|json|slots|...`: print it."""
    parts = partitions()
    placed = place(parts)
    what = argv[0] if argv else ""
    if what == "sfdisk":
        print(sfdisk_script(placed), end="")
    elif what == "offsets":  # name offset_bytes size_bytes filesystem label, for the shell
        for item in placed:
            p = item.partition
            print(p.name, item.offset_bytes, item.size_bytes, p.filesystem, p.label)
    elif what == "cmdline" and len(argv) == 2:
        print(cmdline(by_name(parts, "root-" + argv[1])), end="")
    elif what == "autoboot":
        print(autoboot(parts), end="")
    elif what == "fstab":
        print(fstab(parts), end="")
    elif what == "size":
        print(image_bytes(placed))
    elif what == "json":
        print(json.dumps({p.name: p.partuuid for p in parts}))
    elif what == "raucm" and len(argv) == 2:
        print(raucm(argv[1]), end="")
    elif what == "squashfs-args":
        print(BUNDLE_SQUASHFS_ARGS)
    elif what == "slots":
        print(json.dumps(slots(parts), indent=2, sort_keys=True))
    elif what == "rauc-system-conf":
        print(rauc_system_conf(parts), end="")
    elif what == "stable-uuid" and len(argv) == 2:
        print(stable_uuid(argv[1]))
    else:
        usage = (
            "usage: layout.py sfdisk|offsets|cmdline a|b|autoboot|fstab|size|json|slots|"
            "raucm R|squashfs-args|rauc-system-conf|stable-uuid NAME"
        )
        print(usage, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
