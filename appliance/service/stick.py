"""Reading a service token from a stick's folder: hostile input, taken with care (I/O).

Only a regular file named TOTEM-SERVICE.token directly in the folder, not a link, at most
wire.servicetoken.MAX_BYTES, opened without following links; a stick pulled out while it
is read is an error like any other, never a crash.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from wire.servicetoken import FILENAME, MAX_BYTES


class StickError(Exception):
    """The stick holds no readable token; the message says why."""


def read_token(folder: Path) -> bytes:
    path = Path(folder) / FILENAME
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        raise StickError(f"no {FILENAME} on the stick") from None
    except OSError as error:  # ELOOP: a link; EIO: pulled out
        raise StickError(f"{FILENAME} cannot be read: {error.strerror}") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise StickError(f"{FILENAME} is not a plain file")
        if info.st_size > MAX_BYTES:
            raise StickError(f"{FILENAME} is {info.st_size} bytes, over {MAX_BYTES}")
        data = os.read(descriptor, MAX_BYTES + 1)
    except OSError as error:
        raise StickError(f"{FILENAME} cannot be read: {error.strerror}") from None
    finally:
        os.close(descriptor)
    if len(data) > MAX_BYTES:
        raise StickError(f"{FILENAME} is over {MAX_BYTES} bytes")
    return data
