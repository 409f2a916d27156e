"""The Debian initrd as the kernel reads it: uncompressed cpio archives, then one compressed one.

initramfs-tools puts files that are already compressed (the .ko.xz modules) in an uncompressed
"early" cpio in front, and the rest in a cpio compressed with COMPRESS. The image build makes that
tail with zstd level 1 under qemu-user (fast) and recompresses it here, natively, at level 19
(small), leaving the early part byte for byte as Debian made it.

    python3 image/initrd.py recompress FILE
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

NEWC_MAGIC = b"070701"
HEADER_LEN = 110
TRAILER = "TRAILER!!!"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


class InitrdError(Exception):
    pass


def _align4(n: int) -> int:
    return (n + 3) & ~3


def _cpio(data: bytes, offset: int) -> tuple[list[str], int]:
    """Member names of the newc archive at offset, and the offset just past its trailer."""
    names: list[str] = []
    while True:
        header = data[offset : offset + HEADER_LEN]
        if len(header) < HEADER_LEN or header[:6] != NEWC_MAGIC:
            raise InitrdError(f"no cpio header at byte {offset}")
        try:
            filesize = int(header[54:62], 16)
            namesize = int(header[94:102], 16)
        except ValueError as err:
            raise InitrdError(f"bad cpio header at byte {offset}") from err
        name_start = offset + HEADER_LEN
        name = data[name_start : name_start + namesize].rstrip(b"\0").decode("utf-8", "replace")
        data_start = _align4(name_start + namesize)
        offset = _align4(data_start + filesize)
        if offset > len(data):
            raise InitrdError(f"cpio member {name!r} runs past the end of the file")
        if name == TRAILER:
            return names, offset
        names.append(name)


def split(data: bytes) -> tuple[list[str], int | None]:
    """Names in the uncompressed archives, and where the compressed tail starts (None: no tail)."""
    names: list[str] = []
    offset = 0
    while offset < len(data):
        if data[offset : offset + 6] == NEWC_MAGIC:
            more, offset = _cpio(data, offset)
            names += more
        elif data[offset] == 0:  # padding between archives
            offset += 1
        else:
            return names, offset
    return names, None


def _run(args: list[str], data: bytes) -> bytes:
    try:
        done = subprocess.run(args, input=data, capture_output=True, check=False)
    except FileNotFoundError as err:
        raise InitrdError(f"{args[0]} is not installed") from err
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        raise InitrdError(f"{args[0]} failed: {message}")
    return done.stdout


def _inner(data: bytes, tail: int) -> bytes:
    """The cpio archive inside the compressed tail."""
    if data[tail : tail + 4] != ZSTD_MAGIC:
        raise InitrdError("the compressed part is not zstd")
    return _run(["zstd", "-dc"], data[tail:])


def members(data: bytes) -> list[str]:
    """Every member name, the early archives' and the compressed tail's (zstd only)."""
    names, tail = split(data)
    if tail is not None:
        names += split(_inner(data, tail))[0]
    return names


def recompress(data: bytes, level: int = 19) -> bytes:
    """The same initrd with its zstd tail recompressed at level; the early part is kept as is."""
    _, tail = split(data)
    if tail is None:
        return data
    return data[:tail] + _run(["zstd", "-q", f"-{level}", "-T0", "-c"], _inner(data, tail))


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "recompress":
        print("usage: initrd.py recompress FILE", file=sys.stderr)
        return 2
    path = Path(argv[1])
    before = path.read_bytes()
    try:
        after = recompress(before)
    except InitrdError as err:
        print(f"initrd: {path}: {err}", file=sys.stderr)
        return 1
    path.write_bytes(after)
    mb = 1024 * 1024
    print(f"initrd: {len(before) / mb:.1f} MB -> {len(after) / mb:.1f} MB (zstd -19)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
