"""A release on the technician's stick, taken the way the totem takes it: real FAT sticks
made by mkfs.vfat and mcopy, read through mtools without a mount, bundles made and read
by RAUC itself (`rauc bundle`, `rauc info` against the totem's keyring). Every refusal
reaches the kiosk's answer file and the audit log with its reason, and the copy on the
data partition never stays. (RAUC's install itself needs a totem: tests/system.)"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import releases

from appliance.service import audit, errands, install

pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("mkfs.vfat", "mcopy", "rauc", "mksquashfs", "openssl")),
    reason="dosfstools, mtools, rauc, squashfs-tools and openssl are needed (make test "
    "installs them as root)",
)
RUNNING = "0.1.0+10"


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    base = tmp_path_factory.mktemp("keys")
    return {
        "town": releases.signing_key(base / "town", "/O=Mairie/CN=Totem update key"),
        "other": releases.other_key(base),
    }


@pytest.fixture(scope="module")
def bundles(tmp_path_factory, keys):
    base = tmp_path_factory.mktemp("bundles")
    return {
        "newer": releases.tiny(base / "newer.raucb", "0.1.0+11", *keys["town"]),
        "older": releases.tiny(base / "older.raucb", "0.1.0+9", *keys["town"]),
        "forged": releases.tiny(base / "forged.raucb", "0.1.0+12", *keys["other"]),
    }


def stick(tmp_path: Path, files: dict[str, Path | bytes]) -> Path:
    image = tmp_path / "stick.img"
    subprocess.run(["truncate", "-s", "16M", str(image)], check=True)
    subprocess.run(["mkfs.vfat", "-n", "TECH", str(image)], check=True, capture_output=True)
    for name, content in files.items():
        source = content if isinstance(content, Path) else tmp_path / "source"
        if not isinstance(content, Path):
            source.write_bytes(content)
        subprocess.run(["mcopy", "-i", str(image), str(source), f"::{name}"], check=True)
    return image


def install_from(tmp_path: Path, image: Path, keyring: Path) -> tuple[int, str, dict, list]:
    """`totem dongle install` as the unit runs it, after the kiosk asked for visit v1."""
    data, state = tmp_path / "data", tmp_path / "run" / "dongle.json"
    errands.ask(data, install.REQUEST, "v1", device=str(image))
    done = subprocess.run(
        [sys.executable, "-m", "appliance", "dongle", "install", "--data-dir", str(data),
         "--state", str(state), "--keyring", str(keyring), "--running", RUNNING],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    answer = errands.read_answer(state.parent / install.RESULT, "v1")
    assert not (data / "service" / install.REQUEST).exists()  # asked once, taken once
    assert not list((data / "update").glob("*.raucb"))  # the copy never stays
    return done.returncode, done.stdout + done.stderr, answer, audit.entries(data)


def test_a_bundle_signed_by_another_key_is_refused_with_raucs_reason(tmp_path, keys, bundles):
    image = stick(tmp_path, {"totem-0.1.0+12.raucb": bundles["forged"]})
    code, output, answer, entries = install_from(tmp_path, image, keys["town"][1])
    assert code == 1
    assert answer["ok"] is False and answer["state"] == "failed"
    reason = answer["reason"]
    assert "signature" in reason["en"] and reason["fr"].startswith("non installée")
    assert "signature" in output
    assert entries[-1]["event"] == "stick-install-failed" and entries[-1]["visit"] == "v1"


def test_a_release_not_newer_than_the_running_one_is_refused(tmp_path, keys, bundles):
    image = stick(tmp_path, {"older.raucb": bundles["older"]})
    code, _, answer, entries = install_from(tmp_path, image, keys["town"][1])
    assert code == 1
    assert "0.1.0+9 is not newer than the running 0.1.0+10" in answer["reason"]["en"]
    assert "pas plus récente" in answer["reason"]["fr"]
    assert "not newer" in entries[-1]["reason"]


def test_a_good_newer_bundle_passes_every_check_before_raucs_install(tmp_path, keys, bundles):
    image = stick(tmp_path, {"README.txt": b"notes\n", "totem.raucb": bundles["newer"]})
    code, output, answer, _ = install_from(tmp_path, image, keys["town"][1])
    # Signature, compatible and version accepted: only the install needs a totem's RAUC.
    assert code == 1
    assert "RAUC is not set up here" in answer["reason"]["en"], output


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        ({"README.txt": b"notes\n"}, "no .raucb file at the stick's root"),
        ({"a.raucb": b"x" * 4096, "b.raucb": b"y" * 4096}, "several .raucb files"),
        ({"broken.raucb": b"not a bundle at all" * 300}, "not installed:"),
    ],
)
def test_a_stick_without_one_readable_bundle_says_why(tmp_path, keys, files, reason):
    code, _, answer, entries = install_from(tmp_path, stick(tmp_path, files), keys["town"][1])
    assert code == 1 and reason in answer["reason"]["en"]
    assert entries[-1]["event"] == "stick-install-failed"


def test_a_stick_that_is_not_fat_or_is_gone_is_refused(tmp_path, keys):
    not_fat = tmp_path / "ext4.img"
    subprocess.run(["truncate", "-s", "8M", str(not_fat)], check=True)
    code, _, answer, _ = install_from(tmp_path, not_fat, keys["town"][1])
    assert code == 1 and "not a readable FAT stick" in answer["reason"]["en"]
    code, _, answer, _ = install_from(tmp_path, tmp_path / "pulled-out.img", keys["town"][1])
    assert code == 1 and answer["ok"] is False


def test_the_copy_stops_at_its_limit(tmp_path, bundles):
    image = stick(tmp_path, {"big.raucb": bundles["newer"]})
    dest = tmp_path / "copy.raucb"
    with pytest.raises(install.NotInstalled, match="over 0 MB"):
        install.copy(image, "big.raucb", dest, 64 * 1024, lambda n: None)
    seen = []
    size = install.copy(image, "big.raucb", dest, 1 << 30, seen.append)
    assert size == bundles["newer"].stat().st_size == dest.stat().st_size
    assert dest.read_bytes() == bundles["newer"].read_bytes() and seen[-1] == size


def test_without_a_request_nothing_is_read(tmp_path):
    outcome = install.run(tmp_path / "data", tmp_path / "run" / install.RESULT)
    assert outcome["ok"] is False and "no install asked" in outcome["reason"]["en"]
    assert not (tmp_path / "run" / install.RESULT).exists()
    # A request naming something that is not a stick is refused the same way.
    errands.ask(tmp_path / "data", install.REQUEST, "v1", device="../../etc/shadow")
    outcome = install.run(tmp_path / "data", tmp_path / "run" / install.RESULT)
    assert "not a USB block device name" in outcome["reason"]["en"]
    assert json.dumps(outcome)  # what the CLI prints is plain JSON
