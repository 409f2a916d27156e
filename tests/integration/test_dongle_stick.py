"""A stick read the way the totem reads it: real FAT filesystems made by mkfs.vfat and
mcopy, read by `totem dongle read` through mtools without a mount, the verdict written for
the kiosk and the audit log. Hostile sticks are refused with their reason, never a crash."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from appliance.content import CACHE_FILENAME, load_content
from appliance.service import audit
from appliance.service.visit import parse
from wire.protocol import public_key_b64
from wire.servicetoken import FILENAME, issue

pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("mkfs.vfat", "mcopy", "mkfs.ext4")),
    reason="dosfstools, mtools and e2fsprogs are needed (make test installs them as root)",
)
KEY = Ed25519PrivateKey.generate()
NOW = datetime.now(UTC).replace(microsecond=0)
SERIAL = "3f9c0a1b2d4e5f60"


def token(**change) -> bytes:
    options = {
        "key": KEY,
        "technician": "Camille",
        "serial": SERIAL,
        "not_before": NOW - timedelta(hours=1),
        "days": 7,
        "kiosks": ["hall-01"],
    }
    return issue(**(options | change))


def fat_stick(tmp_path: Path, files: dict[str, bytes], name: str = "stick.img") -> Path:
    image = tmp_path / name
    subprocess.run(["truncate", "-s", "8M", str(image)], check=True)
    subprocess.run(["mkfs.vfat", "-n", "DONGLE", str(image)], check=True, capture_output=True)
    for filename, data in files.items():
        source = tmp_path / "source"
        source.write_bytes(data)
        subprocess.run(["mcopy", "-i", str(image), str(source), f"::{filename}"], check=True)
    return image


@pytest.fixture
def totem(tmp_path):
    config = tmp_path / "totem.toml"
    config.write_text(
        '[site]\nname = "Mairie de Saint-Exemple"\nkiosk_id = "hall-01"\n'
        f'[service]\nkeys = ["{public_key_b64(KEY)}"]\n',
        encoding="utf-8",
    )
    data, state = tmp_path / "data", tmp_path / "run" / "dongle.json"

    def run(action: str, device: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "appliance", "dongle", action, device, "--config", str(config),
             "--data-dir", str(data), "--state", str(state)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip

    run.data, run.state = data, state
    return run


def test_a_valid_dongle_tells_the_kiosk_who_opened_the_service_mode(tmp_path, totem):
    stick = fat_stick(tmp_path, {FILENAME: token()})
    read = totem("read", str(stick))
    assert read.returncode == 0, read.stderr
    visit = parse(totem.state.read_bytes())
    assert visit.opens and visit.technician == "Camille" and visit.serial == "3f9c0a1b2d4e5f60"
    assert visit.device == str(stick)
    events = [(e["event"], e.get("serial")) for e in audit.entries(totem.data)]
    assert events == [("dongle-accepted", "3f9c0a1b2d4e5f60")]


@pytest.mark.parametrize(
    ("contents", "code", "said"),
    [
        ({FILENAME: token(not_before=NOW - timedelta(days=10), days=2)}, "expired", "expired on"),
        ({FILENAME: token(not_before=NOW + timedelta(days=1))}, "not-yet-valid", "not valid"),
        ({FILENAME: token(kiosks=["gare-03"])}, "other-kiosk", "made for gare-03"),
        ({FILENAME: token(key=Ed25519PrivateKey.generate())}, "signature", "not signed"),
        ({FILENAME: b'{"token": {}, "signature": "x"}'}, "signature", "not signed"),
        ({FILENAME: b"\x00" * 9000}, "stick", "over 8192 bytes"),
        ({"README.TXT": b"hello"}, "stick", f"no {FILENAME}"),
    ],
    ids=["expired", "not-yet", "other-kiosk", "forged", "garbage", "oversized", "none"],
)
def test_a_refused_dongle_says_why_to_the_kiosk_and_the_audit_log(
    tmp_path, totem, contents, code, said
):
    read = totem("read", str(fat_stick(tmp_path, contents)))
    assert read.returncode == 1 and read.stderr.count("\n") == 1, read.stderr
    assert f"({code})" in read.stderr and said in read.stderr
    visit = parse(totem.state.read_bytes())
    assert not visit.opens and visit.code == code and said in visit.reason.en
    assert visit.reason.fr  # the screen says it in French first
    [entry] = audit.entries(totem.data)
    assert entry["event"] == "dongle-refused" and entry["code"] == code


def test_sticks_that_are_not_fat_or_hold_a_folder_for_a_token_are_refused(tmp_path, totem):
    ext4 = tmp_path / "ext4.img"
    subprocess.run(["truncate", "-s", "8M", str(ext4)], check=True)
    subprocess.run(["mkfs.ext4", "-q", str(ext4)], check=True)
    blank = tmp_path / "blank.img"
    blank.write_bytes(bytes(1 << 20))
    folder = fat_stick(tmp_path, {}, "folder.img")
    subprocess.run(["mmd", "-i", str(folder), f"::{FILENAME}"], check=True)
    for stick, said in ((ext4, "not a readable FAT"), (blank, "not a readable FAT"),
                        (folder, "")):  # fmt: skip
        read = totem("read", str(stick))
        assert read.returncode == 1 and "(stick)" in read.stderr, read.stderr
        assert said in read.stderr
        assert not parse(totem.state.read_bytes()).opens


def test_a_second_stick_plugged_during_a_visit_leaves_the_menu_to_the_dongle(tmp_path, totem):
    dongle = fat_stick(tmp_path, {FILENAME: token()}, "dongle.img")
    other = fat_stick(tmp_path, {"PHOTOS.TXT": b"x"}, "other.img")
    second = fat_stick(tmp_path, {FILENAME: token()}, "second.img")
    assert totem("read", str(dongle)).returncode == 0
    opened = parse(totem.state.read_bytes())
    # Another stick, refused or even valid, is only audited while the dongle is in: the
    # menu stays the dongle's, and its removal is what closes it.
    read = totem("read", str(other))
    assert read.returncode == 1 and "only audited" in read.stdout
    assert totem("read", str(second)).returncode == 0
    assert parse(totem.state.read_bytes()) == opened
    # The dongle pulled out: the next stick's verdict is told.
    dongle.unlink()
    assert totem("read", str(second)).returncode == 0
    assert parse(totem.state.read_bytes()).device == str(second)
    events = [e["event"] for e in audit.entries(totem.data)]
    assert events.count("dongle-refused") == 1 and events.count("dongle-accepted") == 3


def test_only_block_device_names_are_taken_from_udev(totem):
    for name in ("../etc/passwd", "sda1; reboot", "tty0"):
        read = totem("read", name)
        assert read.returncode == 1 and "not a USB block device name" in read.stderr
    assert not totem.state.exists()


def test_a_revoked_serial_is_refused_from_the_content_the_sync_kept(tmp_path, totem):
    content = load_content()  # the demo content, as the sync keeps a verified one
    content["service"] = {"keys": [], "revoked": ["3f9c0a1b2d4e5f60"]}
    totem.data.mkdir()
    (totem.data / CACHE_FILENAME).write_text(json.dumps({"content": content}), encoding="utf-8")
    read = totem("read", str(fat_stick(tmp_path, {FILENAME: token()})))
    assert read.returncode == 1 and "(revoked)" in read.stderr, read.stderr


def test_a_broken_totem_toml_still_lets_in_a_dongle_for_the_enrolled_kiosk(tmp_path, totem):
    content = load_content()
    content["service"] = {"keys": [public_key_b64(KEY)], "revoked": []}
    totem.data.mkdir()
    (totem.data / CACHE_FILENAME).write_text(json.dumps({"content": content}), encoding="utf-8")
    enrolment = {"hub_url": "https://hub.example", "kiosk_id": "hall-01", "content_key": "k",
                 "enrolled_at": "2026-12-01T00:00:00Z"}  # fmt: skip
    (totem.data / "enrolment.json").write_text(json.dumps(enrolment), encoding="utf-8")
    (tmp_path / "totem.toml").write_text("[display]\nrotation = 45\n", encoding="utf-8")
    read = totem("read", str(fat_stick(tmp_path, {FILENAME: token()})))
    assert read.returncode == 0, read.stderr
    assert "trusting the hub's keys only" in read.stderr
    assert parse(totem.state.read_bytes()).opens
