"""Files that survive a power cut whole: the old content or the new one, never a mix.

A totem loses power whenever the town hall's lobby does; every state file (enrolment,
update status, boot state, autoboot.txt) is written here: a temporary file beside the
target, synced, renamed over it, and the directory synced so the rename itself is kept.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, data: bytes, temporary: Path | None = None) -> None:
    """Replace `path` by `data`. `temporary`: a fixed name for the half-written file, for a
    reader that finishes or drops it after a cut (autoboot.txt's `autoboot.new`)."""
    temp = temporary or path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temp, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temp, path)
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
