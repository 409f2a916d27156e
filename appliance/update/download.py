"""A release's bundle, downloaded from the hub into the data partition (I/O).

The bytes go to `<version>.raucb.part`; a cut connection, a hub restart or a power cut
leave that file, and the next attempt asks for the rest (`Range`). Only a file of the
manifest's size and SHA-256 is renamed to `<version>.raucb`; anything else is removed with
the reason, so a hub that lies about the hash costs one download and installs nothing.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

CHUNK = 1024 * 1024


class DownloadFailed(Exception):
    """The bundle did not arrive whole and right; the message says what happened."""


class Fetcher(Protocol):
    def fetch_bundle(self, version: str, offset: int) -> tuple[int, Iterable[bytes]]:
        """(status: 200 whole file or 206 from `offset`, the body's chunks)."""


def part_file(directory: Path, version: str) -> Path:
    return directory / f"{version}.raucb.part"


def have(directory: Path, version: str) -> int:
    """Bytes of this release already downloaded (0 when none)."""
    try:
        return part_file(directory, version).stat().st_size
    except FileNotFoundError:
        return 0


def download(fetcher: Fetcher, manifest: dict[str, Any], directory: Path) -> Path:
    """The verified bundle of `manifest` in `directory` (resumed when a part exists)."""
    version, size = manifest["version"], manifest["size"]
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / f"{version}.raucb"
    if final.exists() and _sha256(final) == manifest["sha256"]:
        return final
    for stale in directory.glob("*.raucb*"):  # an older release's leftovers
        if stale.name not in (final.name, part_file(directory, version).name):
            stale.unlink()
    part = part_file(directory, version)
    offset = have(directory, version)
    if offset > size:
        part.unlink()
        offset = 0
    if offset < size:
        status, chunks = fetcher.fetch_bundle(version, offset)
        if status == 200:
            offset = 0  # the hub sent the whole file: start again
        elif status != 206:
            raise DownloadFailed(f"the hub answered {status} to the bundle's download")
        with open(part, "r+b" if offset else "wb") as out:
            out.seek(offset)
            out.truncate()
            for chunk in chunks:
                if out.tell() + len(chunk) > size:
                    out.close()
                    part.unlink()
                    raise DownloadFailed(
                        f"the hub sent more than the {size} bytes release {version} has"
                    )
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    got = part.stat().st_size
    if got != size:
        raise DownloadFailed(f"release {version}: {got} of {size} bytes arrived; will resume")
    if _sha256(part) != manifest["sha256"]:
        part.unlink()
        raise DownloadFailed(
            f"release {version}: the bundle's SHA-256 is not the signed manifest's; removed"
        )
    os.replace(part, final)
    return final


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
