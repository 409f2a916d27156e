"""Release versions: `MAJOR.MINOR.PATCH+BUILD`, ordered by their numbers (pure).

BUILD is the number of commits of the build (or a build number the vendor's CI gives), so
two releases of one project version still have an order. The updater refuses a release
that is not newer than the running one: an attacker replaying an old signed bundle with a
known flaw gets nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from appliance import __version__

# Written by the image build (image/stages/40-configure/01-appliance) on each root.
VERSION_FILE = Path("/usr/lib/totem/version")

_VERSION = re.compile(r"(\d{1,6})\.(\d{1,6})\.(\d{1,6})\+(\d{1,9})", re.ASCII)


class VersionError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int
    build: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}+{self.build}"


def parse(text: str) -> Version:
    found = _VERSION.fullmatch(text.strip())
    if found is None:
        raise VersionError(f"{text.strip()[:40]!r} is not a version like 0.1.0+245")
    return Version(*(int(part) for part in found.groups()))


def newer(offered: str, running: str) -> bool:
    """True only when `offered` comes strictly after `running`."""
    return parse(offered) > parse(running)


def running(path: Path = VERSION_FILE) -> str:
    """The release this root runs; on a PC (no image) the project version, build 0."""
    try:
        return str(parse(path.read_text(encoding="ascii")))
    except (OSError, UnicodeDecodeError, VersionError):
        return f"{__version__}+0"
