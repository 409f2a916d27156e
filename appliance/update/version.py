"""The release this root runs (the order of releases is the wire's: wire/release.py)."""

from __future__ import annotations

from pathlib import Path

from appliance import __version__
from wire.release import VersionError, parse_version

# Written by the image build (image/stages/40-configure/01-appliance) on each root.
VERSION_FILE = Path("/usr/lib/totem/version")


def running(path: Path = VERSION_FILE) -> str:
    """The release this root runs; on a PC (no image) the project version, build 0."""
    try:
        return str(parse_version(path.read_text(encoding="ascii")))
    except (OSError, UnicodeDecodeError, VersionError):
        return f"{__version__}+0"
