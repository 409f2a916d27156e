"""Release bundles for the update tests, made with RAUC (`from_image` needs `make image`).

- `from_image(version)`: the image's root with its version file set to `version`, and its
  boot files: what `make bundle` would write for a later release of the same tree.
- `broken_ui(version)`: the same root, but the UI's unit starts a program that exits:
  a release that boots and fails its health check.
- `tiny(version, key, cert)`: a bundle of a 1 MiB root of noise, for releases that must be refused
  before anything is written (another signing key): never meant to boot.

The roots are edited with debugfs on a sparse copy, never mounted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import layout

KEYS = Path(os.environ.get("TOTEM_CACHE", "/var/cache/totem")) / "keys"
DEV_KEY, DEV_CERT = KEYS / "development.key.pem", KEYS / "development.cert.pem"


def _debugfs(ext4: Path, commands: list[str]) -> None:
    script = ext4.with_suffix(".debugfs")
    script.write_text("\n".join(commands) + "\n")
    subprocess.run(["debugfs", "-w", "-f", str(script), str(ext4)], check=True, capture_output=True)


def _root_with(fs: Path, work: Path, version: str, extra: list[str]) -> Path:
    root = work / "root.ext4"
    subprocess.run(["cp", "--sparse=always", str(fs / "root-a.ext4"), str(root)], check=True)
    (work / "version").write_text(version + "\n")
    _debugfs(
        root,
        ["rm /usr/lib/totem/version", f"write {work / 'version'} /usr/lib/totem/version", *extra],
    )
    return root


def _bundle(work: Path, out: Path, version: str, key: Path, cert: Path) -> Path:
    (work / "manifest.raucm").write_text(layout.raucm(version))
    out.unlink(missing_ok=True)
    for leftover in work.glob("*.debugfs"):
        leftover.unlink()
    (work / "version").unlink(missing_ok=True)
    squashfs = f"--mksquashfs-args={layout.BUNDLE_SQUASHFS_ARGS}"
    subprocess.run(
        ["rauc", "bundle", f"--cert={cert}", f"--key={key}", squashfs, str(work), str(out)],
        check=True,
        capture_output=True,
    )
    shutil.rmtree(work)
    return out


def _work(out: Path) -> Path:
    work = out.with_suffix(".dir")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    return work


def from_image(fs: Path, out: Path, version: str, extra: list[str] | None = None) -> Path:
    work = _work(out)
    _root_with(fs, work, version, extra or [])
    shutil.copyfile(fs / "boot-a.vfat", work / "boot.vfat")
    return _bundle(work, out, version, DEV_KEY, DEV_CERT)


def broken_ui(fs: Path, out: Path, version: str) -> Path:
    dropin = out.parent / "broken-ui.conf"
    dropin.write_text("[Service]\nExecStart=\nExecStart=/bin/false\n")
    unit_dir = "/usr/lib/systemd/system/totem-ui.service.d"
    return from_image(fs, out, version, [f"mkdir {unit_dir}", f"write {dropin} {unit_dir}/x.conf"])


def signing_key(directory: Path, subject: str) -> tuple[Path, Path]:
    """A key and its self-signed certificate (made once per directory)."""
    key, cert = directory / "signing.key.pem", directory / "signing.cert.pem"
    if not cert.exists():
        directory.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
             "-subj", subject, "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True,
        )  # fmt: skip
    return key, cert


def other_key(directory: Path) -> tuple[Path, Path]:
    return signing_key(directory / "other-key", "/O=Not the town hall/CN=another update key")


def tiny(out: Path, version: str, key: Path, cert: Path) -> Path:
    work = _work(out)
    # Random bytes inside, so the bundle's squashfs is over the one block RAUC refuses.
    content = out.with_suffix(".content")
    shutil.rmtree(content, ignore_errors=True)
    content.mkdir()
    (content / "noise").write_bytes(os.urandom(256 * 1024))
    subprocess.run(
        ["mkfs.ext4", "-q", "-F", "-d", str(content), str(work / "root.ext4"), "1M"],
        check=True,
        capture_output=True,
    )
    shutil.rmtree(content)
    subprocess.run(
        ["mkfs.vfat", "-C", str(work / "boot.vfat"), "1024"], check=True, capture_output=True
    )
    return _bundle(work, out, version, key, cert)
