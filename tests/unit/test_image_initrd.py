"""Reading and recompressing the Debian initrd: early uncompressed cpio, then a zstd tail."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

import initrd  # noqa: E402

needs_zstd = pytest.mark.skipif(shutil.which("zstd") is None, reason="zstd is not installed")


def newc(files: dict[str, bytes]) -> bytes:
    """A cpio archive in the kernel's newc format, as mkinitramfs writes it."""
    out = bytearray()
    for ino, (name, body) in enumerate([*files.items(), (initrd.TRAILER, b"")], start=1):
        encoded = name.encode() + b"\0"
        fields = [ino, 0o100644, 0, 0, 1, 0, len(body), 0, 0, 0, 0, len(encoded), 0]
        out += initrd.NEWC_MAGIC + b"".join(b"%08X" % f for f in fields) + encoded
        out += b"\0" * (-len(out) % 4) + body
        out += b"\0" * (-len(out) % 4)
    return bytes(out)


def zstd(data: bytes, level: int = 1) -> bytes:
    return subprocess.run(
        ["zstd", "-q", f"-{level}", "-c"], input=data, capture_output=True, check=True
    ).stdout


EARLY = {"usr/lib/modules/6.12/kernel/fs/ext4/ext4.ko.xz": b"\xfd7zXZ" + b"m" * 1001}
MAIN = {"init": b"#!/bin/sh\n" * 50, "etc/initramfs-tools/conf.d/totem.conf": b"MODULES=list\n"}


def test_an_uncompressed_initrd_has_no_tail():
    names, tail = initrd.split(newc(EARLY))
    assert names == list(EARLY) and tail is None


def test_the_tail_starts_after_the_early_archive_and_its_padding():
    early = newc(EARLY) + b"\0" * 512
    names, tail = initrd.split(early + b"\x28\xb5\x2f\xfdrest")
    assert names == list(EARLY) and tail == len(early)


def test_a_file_that_is_all_compressed_has_its_tail_at_zero():
    assert initrd.split(b"\x28\xb5\x2f\xfd....") == ([], 0)


def test_a_truncated_archive_is_an_error_not_a_crash():
    data = newc(EARLY)
    with pytest.raises(initrd.InitrdError, match="runs past the end"):
        initrd.split(data[:200])


def test_a_damaged_header_is_an_error():
    data = bytearray(newc(EARLY))
    data[60:62] = b"zz"  # inside the filesize field
    with pytest.raises(initrd.InitrdError, match="bad cpio header"):
        initrd.split(bytes(data))


@needs_zstd
def test_members_lists_both_parts():
    data = newc(EARLY) + zstd(newc(MAIN))
    assert initrd.members(data) == [*EARLY, *MAIN]


@needs_zstd
def test_recompress_keeps_the_early_part_byte_for_byte_and_the_same_files():
    early = newc(EARLY)
    main = newc(MAIN)
    data = early + zstd(main, level=1)
    out = initrd.recompress(data, level=19)
    assert out.startswith(early)
    tail = out[len(early) :]
    inner = subprocess.run(["zstd", "-dc"], input=tail, capture_output=True, check=True).stdout
    assert inner == main


@needs_zstd
def test_recompress_refuses_a_tail_it_does_not_know():
    data = newc(EARLY) + b"\x1f\x8b\x08gzip-tail"
    with pytest.raises(initrd.InitrdError, match="not zstd"):
        initrd.recompress(data)


@needs_zstd
def test_a_corrupt_zstd_tail_names_the_tool():
    data = newc(EARLY) + b"\x28\xb5\x2f\xfd" + b"\xff" * 40
    with pytest.raises(initrd.InitrdError, match="zstd failed"):
        initrd.recompress(data)


@needs_zstd
def test_the_command_line_rewrites_the_file_and_says_by_how_much(tmp_path):
    path = tmp_path / "initrd.img"
    path.write_bytes(newc(EARLY) + zstd(newc(MAIN) * 20, level=1))
    done = subprocess.run(
        [sys.executable, str(REPO / "image" / "initrd.py"), "recompress", str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "(zstd -19)" in done.stdout
    assert initrd.members(path.read_bytes())[: len(EARLY)] == list(EARLY)


def test_the_command_line_reports_a_broken_file_without_a_traceback(tmp_path):
    path = tmp_path / "initrd.img"
    path.write_bytes(newc(EARLY)[:150])
    done = subprocess.run(
        [sys.executable, str(REPO / "image" / "initrd.py"), "recompress", str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and str(path) in done.stderr
    assert path.read_bytes() == newc(EARLY)[:150]
