"""The image's kernel-module diet (image/kernel_modules.py, stage 40 step 06's dropped.txt)."""

from __future__ import annotations

from pathlib import Path

import kernel_modules as km

RULES_FILE = (
    Path(__file__).resolve().parents[2] / "image/stages/40-configure/06-kernel-modules/dropped.txt"
)

# What the totem loads, by its path in Debian's arm64 kernel: none may ever be dropped.
NEEDED = [
    "drivers/gpu/drm/vc4/vc4.ko.xz",  # the Pi's display
    "drivers/gpu/drm/v3d/v3d.ko.xz",
    "drivers/gpu/drm/virtio/virtio-gpu.ko.xz",  # QEMU's display
    "drivers/gpu/drm/panel/panel-raspberrypi-touchscreen.ko.xz",
    "drivers/hid/hid-multitouch.ko.xz",  # touch panels
    "drivers/input/touchscreen/edt-ft5x06.ko.xz",
    "drivers/input/misc/uinput.ko.xz",
    "drivers/net/ethernet/broadcom/genet/genet.ko.xz",  # Pi 4 Ethernet
    "drivers/net/ethernet/cadence/macb.ko.xz",  # Pi 5 Ethernet
    "drivers/net/wireless/broadcom/brcm80211/brcmfmac/brcmfmac.ko.xz",
    "drivers/net/usb/lan78xx.ko.xz",
    "drivers/net/virtio_net.ko.xz",
    "drivers/scsi/sd_mod.ko.xz",  # USB sticks, the service dongle
    "drivers/usb/storage/usb-storage.ko.xz",
    "drivers/usb/storage/uas.ko.xz",
    "drivers/mmc/host/sdhci-iproc.ko.xz",
    "drivers/nvme/host/nvme.ko.xz",
    "drivers/md/dm-verity.ko.xz",  # RAUC's verity bundles
    "fs/squashfs/squashfs.ko.xz",
    "fs/fat/vfat.ko.xz",
    "fs/exfat/exfat.ko.xz",
    "net/netfilter/nf_tables.ko.xz",  # the network lockdown
    "net/netfilter/nft_ct.ko.xz",
    "sound/soc/bcm/snd-soc-bcm2835-i2s.ko.xz",
    "drivers/staging/vc04_services/vchiq-mmal/bcm2835-mmal-vchiq.ko.xz",
]


def test_the_rules_never_drop_what_the_totem_loads():
    rules = km.parse_rules(RULES_FILE.read_text())
    assert [path for path in NEEDED if km.matched(path, rules)] == []


def test_the_rules_drop_hardware_a_pi_cannot_carry():
    rules = km.parse_rules(RULES_FILE.read_text())
    for path in (
        "drivers/gpu/drm/amd/amdgpu/amdgpu.ko.xz",
        "drivers/net/ethernet/mellanox/mlx5/core/mlx5_core.ko.xz",
        "drivers/net/ethernet/broadcom/bnx2x/bnx2x.ko.xz",
        "drivers/net/wireless/intel/iwlwifi/iwlwifi.ko.xz",
        "drivers/scsi/lpfc/lpfc.ko.xz",
        "drivers/media/usb/uvc/uvcvideo.ko.xz",
        "fs/xfs/xfs.ko.xz",
        "sound/soc/qcom/snd-soc-qcom-common.ko.xz",
    ):
        assert km.matched(path, rules), path


def test_the_last_matching_rule_wins():
    rules = km.parse_rules("# families\na/*\n!a/keep/*\na/keep/not-this.ko*\n")
    assert km.matched("a/x.ko.xz", rules)
    assert not km.matched("a/keep/y.ko.xz", rules)
    assert km.matched("a/keep/not-this.ko.xz", rules)
    assert not km.matched("b/z.ko.xz", rules)


def test_what_a_kept_module_needs_stays():
    modules = ["kernel/keep/top.ko.xz", "kernel/drop/lib.ko.xz", "kernel/drop/other.ko.xz"]
    needs = km.parse_dependencies(
        "kernel/keep/top.ko.xz: kernel/drop/lib.ko.xz\n"
        "kernel/drop/lib.ko.xz:\n"
        "kernel/drop/other.ko.xz: kernel/drop/lib.ko.xz\n"
    )
    dropped = km.to_drop(modules, km.parse_rules("drop/*"), needs, {})
    assert dropped == {"kernel/drop/other.ko.xz"}


def test_softdeps_and_weakdeps_stay_by_name():
    modules = ["kernel/keep/ext4.ko.xz", "kernel/drop/crc32c-generic.ko.xz", "kernel/drop/x.ko"]
    named = km.parse_named_dependencies(
        "# Soft dependencies\nsoftdep ext4 pre: crc32c_generic post: nothing-here\n",
        "weakdep absent x\n",
    )
    dropped = km.to_drop(modules, km.parse_rules("drop/*"), {}, named)
    assert dropped == {"kernel/drop/x.ko"}


def test_prune_removes_files_and_empty_folders(tmp_path):
    for path in ("kernel/a/keep.ko.xz", "kernel/b/c/gone.ko.xz", "kernel/b/needed.ko.xz"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(b"x" * 10)
    (tmp_path / "modules.dep").write_text(
        "kernel/a/keep.ko.xz: kernel/b/needed.ko.xz\nkernel/b/needed.ko.xz:\n"
        "kernel/b/c/gone.ko.xz:\n"
    )
    rules = tmp_path / "dropped.txt"
    rules.write_text("b/*\n")
    assert km.prune(tmp_path, rules) == (1, 2, 10)
    assert not (tmp_path / "kernel/b/c").exists()
    assert (tmp_path / "kernel/b/needed.ko.xz").exists()
