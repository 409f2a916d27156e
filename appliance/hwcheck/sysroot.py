"""Where the checks read the machine from: the real root, or a recorded tree for tests.

A recorded tree holds the same paths as the machine (`sys/…`, `proc/…`, `etc/…`,
`usr/lib/totem/build-info.json`) plus files standing in for what is not a file on a
real machine (see README.md, "Recorded trees"): `statvfs.json`, `dmesg`,
`vcgencmd/get_throttled`, `timedate1.json`, `evdev/eventN.json`. Live probes (D-Bus,
subprocesses, sockets) only run on the real machine; a tree without the recorded file
makes the check skip.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


class Sysroot:
    def __init__(self, root: str | Path = "/"):
        self.root = Path(root)
        self.live = self.root.resolve() == Path("/")

    def path(self, path: str) -> Path:
        return self.root / path.lstrip("/")

    def read(self, path: str) -> str | None:
        """The text of a file, or None when it is missing or unreadable."""
        try:
            return self.path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None

    def read_json(self, path: str) -> Any:
        text = self.read(path)
        if text is None:
            return None
        try:
            return json.loads(text)
        except ValueError:
            return None

    def exists(self, path: str) -> bool:
        return self.path(path).exists()

    def glob(self, pattern: str) -> list[Path]:
        """Matches under the root, sorted; returned paths are relative to the root ("/x/y")."""
        return sorted(Path("/") / p.relative_to(self.root) for p in self.root.glob(pattern))

    def listdir(self, path: str) -> list[str]:
        try:
            return sorted(os.listdir(self.path(path)))
        except OSError:
            return []

    def recorded(self, name: str) -> str | None:
        """A recorded stand-in file (only in a recorded tree; None on the real machine)."""
        return None if self.live else self.read(name)
