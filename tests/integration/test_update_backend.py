"""The RAUC custom backend as RAUC runs it: a process per request, on real files, and (as
root) on a real FAT filesystem mounted read-only as TOTEMCFG is on the totem."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import layout  # image/layout.py
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from appliance.update.agent import Updater
from appliance.update.autoboot import Autoboot, parse
from hub.reports import kiosk_statuses


def kiosk_row():
    """A kiosks table row as the hub reads it."""
    return SimpleNamespace(
        kiosk_id="hall-01",
        last_seen=0,
        version="0.1.0+400",
        uptime_s=5,
        outbox_depth=0,
        checks="[]",
    )


class Card:
    """TOTEMCFG, the data partition's state file, the root's slots.json, /proc/cmdline."""

    def __init__(self, base: Path, cfg: Path | None = None) -> None:
        self.cfg = cfg or base / "cfg"
        self.cfg.mkdir(exist_ok=True)
        if not (self.cfg / "autoboot.txt").exists():
            (self.cfg / "autoboot.txt").write_text(layout.autoboot(layout.partitions()))
        self.slots = base / "slots.json"
        self.slots.write_text(json.dumps(layout.slots(layout.partitions())))
        self.state = base / "data" / "update" / "boot-state.json"
        self.cmdline = base / "cmdline"
        self.boot("A")

    def boot(self, slot: str) -> None:
        root = layout.by_name(layout.partitions(), f"root-{slot.lower()}")
        self.cmdline.write_text(layout.cmdline(root))

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "TOTEM_CFG_DIR": str(self.cfg),
            "TOTEM_BOOT_STATE": str(self.state),
            "TOTEM_SLOTS": str(self.slots),
            "TOTEM_CMDLINE": str(self.cmdline),
        }

    def backend(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "appliance.update.backend", *args],
            capture_output=True,
            text=True,
            env={**self.env(), **env},
            timeout=60,
        )

    def ok(self, *args: str) -> str:
        done = self.backend(*args)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def autoboot(self) -> Autoboot:
        return parse((self.cfg / "autoboot.txt").read_text())


@pytest.mark.parametrize(
    ("offered", "accepted", "said"),
    [
        ("0.1.0+401", True, ""),
        ("0.1.0+400", False, "not newer than the running 0.1.0+400"),
        ("0.0.9+900", False, "not newer than the running 0.1.0+400"),
        ("latest", False, "unreadable"),
    ],
)
def test_pre_install_refuses_a_bundle_not_newer_than_the_running_release(
    tmp_path, offered, accepted, said
):
    # RAUC gives its handlers the bundle's manifest version; a stick's bundle is checked here.
    card = Card(tmp_path)
    running = tmp_path / "version"
    running.write_text("0.1.0+400\n")
    done = card.backend("pre-install", RAUC_MF_VERSION=offered, TOTEM_VERSION_FILE=str(running))
    assert (done.returncode == 0) == accepted, done.stderr
    assert said in done.stderr


def test_an_update_through_the_backend_requests_rauc_makes(tmp_path):
    card = Card(tmp_path)
    assert card.ok("get-current") == "A"
    assert card.ok("get-primary") == "A"
    assert (card.ok("get-state", "A"), card.ok("get-state", "B")) == ("good", "bad")
    assert card.ok("pre-install") == ""
    card.ok("set-primary", "B")  # end of an install into B
    assert card.autoboot() == Autoboot(2, 3) and card.ok("get-primary") == "B"
    card.boot("B")  # the firmware's tryboot start
    assert card.ok("after-boot") == "trial"
    refused = card.backend("pre-install")
    assert refused.returncode == 1 and "on trial" in refused.stderr
    card.ok("set-state", "B", "good")
    card.ok("set-primary", "B")  # the health check's mark-active booted
    assert card.autoboot() == Autoboot(3, 2)
    assert json.loads(card.state.with_name("last-result.json").read_text())["result"] == (
        "marked-good"
    )
    assert card.ok("after-boot") == "" and card.ok("get-primary") == "B"
    assert not (card.cfg / "autoboot.new").exists()


def test_totem_update_status_shows_the_slots_and_the_download(tmp_path):
    card = Card(tmp_path)
    card.ok("set-primary", "B")
    status = tmp_path / "data" / "update" / "status.json"
    status.write_text('{"state": "downloaded", "offered": "0.1.0+500"}')
    env = card.env()
    command = [sys.executable, "-m", "appliance", "update", "status"]
    data = ["--data-dir", str(tmp_path / "data")]
    text = subprocess.run([*command, *data], capture_output=True, text=True, env=env, timeout=60)
    assert text.returncode == 0, text.stderr
    assert "slots: running A, normal A, next start B (trial); A good, B bad" in text.stdout
    assert "offered release: 0.1.0+500 downloaded" in text.stdout
    shown = subprocess.run(
        [*command, "--json", *data], capture_output=True, text=True, env=env, timeout=60
    )
    summary = json.loads(shown.stdout)
    assert summary["slots"]["trying"] == "B" and summary["download"]["offered"] == "0.1.0+500"


def test_a_trial_that_never_confirmed_is_reported_rolled_back(tmp_path):
    card = Card(tmp_path)
    card.ok("set-primary", "B")
    card.boot("B")
    card.ok("after-boot")
    card.boot("A")  # power cut during the trial: the firmware starts A again
    assert card.ok("after-boot") == "rolled-back"
    assert card.ok("get-state", "B") == "bad" and card.ok("get-primary") == "A"
    # What the next heartbeat tells the hub, and its Bornes page then shows as an alert.
    report = Updater(tmp_path / "data", Ed25519PrivateKey.generate().public_key()).report()
    assert report["result"] == "rolled-back" and "slot B" in report["result_reason"]
    (status,) = kiosk_statuses([kiosk_row()], 0, {"hall-01": report})
    assert any(a.startswith("Revenue à la version précédente : slot B") for a in status.alerts)


def test_a_rewrite_cut_by_a_power_loss_is_finished_or_dropped_at_the_next_start(tmp_path):
    card = Card(tmp_path)
    new = card.cfg / "autoboot.new"
    new.write_text((card.cfg / "autoboot.txt").read_text()[:70])  # cut while written
    assert card.ok("after-boot") == "autoboot.txt rewrite dropped"
    assert card.autoboot() == Autoboot(2, 3) and not new.exists()
    new.write_text(layout.autoboot(layout.partitions()).replace("=2", "=X").replace("=3", "=2"))
    new.write_text(new.read_text().replace("=X", "=3"))  # complete, not yet renamed
    assert card.ok("after-boot") == "autoboot.txt rewrite finished"
    assert card.autoboot() == Autoboot(3, 2) and not new.exists()


def test_bad_requests_are_one_line_and_change_nothing(tmp_path):
    card = Card(tmp_path)
    before = (card.cfg / "autoboot.txt").read_text()
    for args in (("set-primary", "C"), ("set-state", "A", "fine"), ("frobnicate",), ()):
        done = card.backend(*args)
        assert done.returncode == 1
        assert done.stderr.startswith("totem-boot-backend: ") and done.stderr.count("\n") == 1
    card.cmdline.write_text("console=ttyAMA0 root=/dev/vda2\n")
    assert "no rauc.slot=" in card.backend("set-primary", "B").stderr
    assert (card.cfg / "autoboot.txt").read_text() == before and not card.state.exists()
    card.state.parent.mkdir(parents=True)
    card.state.write_text("{not json")  # a damaged state file does not block updates
    card.boot("A")
    assert card.ok("get-primary") == "A"


@pytest.mark.root
def test_on_a_read_only_partition_the_rewrite_remounts_it_for_a_moment(tmp_path):
    """TOTEMCFG is FAT; a kernel without the FAT driver (this build host's) gets the same
    test on ext4: the remount and the rename are the backend's, whatever the filesystem."""
    fat = "vfat" in Path("/proc/filesystems").read_text()
    for tool in ("mkfs.vfat", "fsck.vfat", "mcopy") if fat else ("mkfs.ext4", "e2fsck"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (dosfstools, mtools, e2fsprogs)")
    fs = tmp_path / "totemcfg.img"
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "autoboot.txt").write_text(layout.autoboot(layout.partitions()))
    subprocess.run(["truncate", "-s", "32M", str(fs)], check=True)
    if fat:
        subprocess.run(["mkfs.vfat", "-n", "TOTEMCFG", str(fs)], check=True, capture_output=True)
        subprocess.run(
            ["mcopy", "-i", str(fs), str(seed / "autoboot.txt"), "::autoboot.txt"], check=True
        )
        options = "ro,nosuid,nodev,noexec,umask=0022"
    else:
        subprocess.run(
            ["mkfs.ext4", "-q", "-d", str(seed), str(fs)], check=True, capture_output=True
        )
        options = "ro,nosuid,nodev,noexec"
    mountpoint = tmp_path / "cfg"
    mountpoint.mkdir()
    # A writable block device mounted read-only, as the card's partition is (`mount -o
    # loop,ro` would make the loop device itself read-only: no remount could write).
    device = subprocess.run(
        ["losetup", "--find", "--show", str(fs)], capture_output=True, text=True, check=True
    ).stdout.strip()
    try:
        subprocess.run(["mount", "-o", options, device, str(mountpoint)], check=True)
    except subprocess.CalledProcessError:
        subprocess.run(["losetup", "-d", device], check=False)
        raise
    try:
        card = Card(tmp_path, cfg=mountpoint)
        card.ok("set-primary", "B")
        card.boot("B")
        card.ok("after-boot")
        card.ok("set-primary", "B")
        assert card.autoboot() == Autoboot(3, 2)
        assert not (mountpoint / "autoboot.new").exists()
        with open("/proc/self/mountinfo") as mounts:
            line = next(m for m in mounts if m.split()[4] == str(mountpoint))
        assert "ro" in line.split()[5].split(",")  # read-only again
    finally:
        subprocess.run(["umount", str(mountpoint)], check=True)
        subprocess.run(["losetup", "-d", device], check=True)
    check = ["fsck.vfat", "-n", str(fs)] if fat else ["e2fsck", "-fn", str(fs)]
    checked = subprocess.run(check, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
