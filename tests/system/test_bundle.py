"""The update bundle `make bundle` writes: signed for the image's keyring, from the same build
as the image, refused when signed by another key or cut short."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import BUILD

from hub.releases import bundle_version
from wire.release import COMPATIBLE


@pytest.fixture(scope="module")
def bundle() -> Path:
    found = sorted(BUILD.glob("totem-*-rpi4-arm64.raucb"), key=lambda p: p.stat().st_mtime)
    if not found:
        if os.environ.get("TOTEM_SYSTEM_TESTS") == "1":
            pytest.fail("TOTEM_SYSTEM_TESTS=1 but no bundle in build/: run `make bundle` first")
        pytest.skip("no bundle in build/ (run `make bundle`)")
    if shutil.which("rauc") is None:
        pytest.skip("rauc missing (make image installs the host tools)")
    return found[-1]


def root_digest(image: Path, placed) -> str:
    """The SHA-256 of the image's root-a partition, read in place."""
    part = placed["root-a"]
    digest = hashlib.sha256()
    with open(image, "rb") as src:
        src.seek(part.offset_bytes)
        left = part.size_bytes
        while left:
            chunk = src.read(min(left, 4 * 1024 * 1024))
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def root_filesystem(image: Path, placed, scratch: Path) -> Path:
    """root-a as a file debugfs can read (it takes no offset): the build's own copy, which
    stage 60 wrote into the image byte for byte, else one cut out of the image."""
    built = BUILD / "work" / "fs" / "root-a.ext4"
    part = placed["root-a"]
    if built.is_file() and built.stat().st_size == part.size_bytes:
        return built
    subprocess.run(
        ["dd", f"if={image}", f"of={scratch}", "bs=1M", f"skip={part.offset_bytes // 2**20}",
         f"count={part.size_bytes // 2**20}", "status=none"],
        check=True,
    )  # fmt: skip
    return scratch


def dump(root: Path, path: str, dest: Path) -> Path:
    subprocess.run(
        ["debugfs", "-R", f"dump {path} {dest}", str(root)], check=True, capture_output=True
    )
    return dest


def info(bundle: Path, keyring: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["rauc", "info", f"--keyring={keyring}", "--output-format=shell", str(bundle)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def image_root(image_file, placed, tmp_path_factory):
    """(the image's RAUC keyring, its release, the SHA-256 of its root-a filesystem)."""
    work = tmp_path_factory.mktemp("bundle")
    root = root_filesystem(image_file, placed, work / "root-a.ext4")
    keyring = dump(root, "/etc/rauc/keyring.pem", work / "keyring.pem")
    release = dump(root, "/usr/lib/totem/version", work / "version").read_text().strip()
    if root.parent == work:
        root.unlink()
    return keyring, release, root_digest(image_file, placed)


def test_the_bundle_is_signed_for_the_images_keyring_and_holds_the_same_build(bundle, image_root):
    keyring, release, digest = image_root
    shown = info(bundle, keyring)
    assert shown.returncode == 0, shown.stderr
    fields = dict(line.split("=", 1) for line in shown.stdout.splitlines() if "=" in line)
    assert fields["RAUC_MF_COMPATIBLE"] == f"'{COMPATIBLE}'"
    assert fields["RAUC_MF_VERSION"] == f"'{release}'"
    assert bundle.name == f"totem-{release}-rpi4-arm64.raucb"
    classes = {fields[f"RAUC_IMAGE_CLASS_{i}"] for i in range(int(fields["RAUC_MF_IMAGES"]))}
    assert classes == {"'rootfs'", "'boot'"}
    root_index = next(i for i in range(2) if fields[f"RAUC_IMAGE_CLASS_{i}"] == "'rootfs'")
    assert fields[f"RAUC_IMAGE_DIGEST_{root_index}"] == f"'{digest}'"  # root-a, byte for byte
    assert bundle_version(bundle) == release  # what the hub offers it as
    # Compressed as layout.BUNDLE_SQUASHFS_ARGS says (a verity bundle opens on its squashfs).
    superblock = subprocess.run(
        ["unsquashfs", "-s", str(bundle)], capture_output=True, text=True, check=True
    ).stdout
    assert "Compression zstd" in superblock and "Block size 1048576" in superblock, superblock
    print(f"\n{bundle.name}: {bundle.stat().st_size / 2**20:.0f} MiB")


def test_a_bundle_signed_by_another_key_or_cut_short_is_refused(bundle, image_root, tmp_path):
    keyring, release, _ = image_root
    key, cert = tmp_path / "other.key.pem", tmp_path / "other.cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/O=Someone else",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    content = tmp_path / "content"
    content.mkdir()
    (content / "manifest.raucm").write_text(
        f"[update]\ncompatible={COMPATIBLE}\nversion={release}9\n[bundle]\nformat=verity\n"
        "[image.rootfs]\nfilename=root.ext4\n"
    )
    (content / "root.ext4").write_bytes(os.urandom(1024 * 1024))
    forged = tmp_path / "forged.raucb"
    subprocess.run(
        ["rauc", "bundle", f"--cert={cert}", f"--key={key}", str(content), str(forged)],
        check=True,
        capture_output=True,
    )
    refused = info(forged, keyring)
    assert refused.returncode != 0 and "signature" in refused.stderr.lower(), refused.stderr
    cut = tmp_path / "cut.raucb"
    with open(bundle, "rb") as src, open(cut, "wb") as out:
        out.write(src.read(bundle.stat().st_size // 2))
    assert info(cut, keyring).returncode != 0
