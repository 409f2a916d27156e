"""Noticing that a file another process rewrites (content.json, hwcheck.json) changed.

One `stat` per poll: cheap enough for the loop's schedule, and atomic replacement by the
writers (temp file + rename) shows up as a new inode even within one mtime tick.
"""

from __future__ import annotations

import os
from pathlib import Path


class FileWatch:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._seen: tuple | None = None  # None: absent (or not looked at yet)

    def changed(self) -> bool:
        """True when the file appeared, vanished or was rewritten since the last call."""
        try:
            st = os.stat(self.path)
            signature: tuple | None = (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            signature = None
        if signature == self._seen:
            return False
        self._seen = signature
        return True
