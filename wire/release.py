"""A release offered to kiosks: its version order and the manifest the hub signs.

The hub signs the manifest with the town hall's content key (the one every kiosk pinned at
enrolment), so a kiosk knows the size and SHA-256 to expect before it downloads a byte.
The bundle itself is signed again, by the vendor's X.509 key, and RAUC checks that against
the keyring in the image: a hub that lies can waste a download, never install a system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from wire.protocol import API_PREFIX

# Releases: MAJOR.MINOR.PATCH+BUILD (image/stages/common.sh), ordered by number.
_VERSION = re.compile(r"(\d{1,6})\.(\d{1,6})\.(\d{1,6})\+(\d{1,9})", re.ASCII)
_SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)
COMPATIBLE = "totem-rpi4-arm64"  # RAUC's compatible string, in system.conf and each bundle
MAX_BUNDLE_BYTES = 2 * 1024**3  # a root slot is 1280 MiB; anything far beyond is not ours


class VersionError(ValueError):
    pass


class ReleaseError(ValueError):
    """A release manifest that is not what a hub of this project signs."""


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int
    build: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}+{self.build}"


def parse_version(text: str) -> Version:
    found = _VERSION.fullmatch(text.strip())
    if found is None:
        raise VersionError(f"{text.strip()[:40]!r} is not a version like 0.1.0+245")
    return Version(*(int(part) for part in found.groups()))


def newer(offered: str, running: str) -> bool:
    """True only when `offered` comes strictly after `running`: an older or equal release
    is never an update (an attacker replaying an old signed bundle gets nothing)."""
    return parse_version(offered) > parse_version(running)


def bundle_path(version: str) -> str:
    """Where the hub serves a release's bundle (Range requests resume a download)."""
    return f"{API_PREFIX}/releases/{parse_version(version)}/bundle"


def validate_manifest(manifest: Any) -> dict[str, Any]:
    """The manifest, checked field by field (ReleaseError with the reason)."""
    if not isinstance(manifest, dict):
        raise ReleaseError("the release manifest is not an object")
    if set(manifest) != {"version", "size", "sha256", "compatible"}:
        raise ReleaseError(f"the release manifest has fields {sorted(manifest)}")
    try:
        parse_version(str(manifest["version"]))
    except VersionError as error:
        raise ReleaseError(f"release version: {error}") from None
    size = manifest["size"]
    if not isinstance(size, int) or isinstance(size, bool) or not 0 < size <= MAX_BUNDLE_BYTES:
        raise ReleaseError(f"release size {size!r} is not a bundle's size")
    if not isinstance(manifest["sha256"], str) or not _SHA256.fullmatch(manifest["sha256"]):
        raise ReleaseError("release sha256 is not 64 lowercase hex digits")
    if manifest["compatible"] != COMPATIBLE:
        raise ReleaseError(f"release is for {manifest['compatible']!r}, not {COMPATIBLE!r}")
    return manifest
