"""Reading a service token off a stick: hostile input, taken with care (I/O).

On the totem (`read_block_device`) the token is read with mtools straight off the block
device: no kernel mount, so nothing on the stick is executed, followed or parsed by the
kernel's filesystem code; only FAT (FAT12/16/32) is read, anything else is refused. On a
PC (`read_token`, for `totem dongle verify DIR`) from a folder: only a regular file named
TOTEM-SERVICE.token directly in it, not a link. Both take at most
wire.servicetoken.MAX_BYTES; a stick pulled out or hanging while it is read is an error
like any other, never a crash.
"""

from __future__ import annotations

import os
import stat
import subprocess
import threading
from pathlib import Path

from appliance.said import Said
from wire.servicetoken import FILENAME, MAX_BYTES

# mtools as every reader and writer of a stick runs it: Debian's binaries, no user
# configuration, no refusal of a stick whose FAT geometry is odd, messages in English.
MTOOLS_ENV = {"PATH": "/usr/bin:/bin", "MTOOLSRC": "/dev/null", "MTOOLS_SKIP_CHECK": "1",
              "LC_ALL": "C"}  # fmt: skip
READ_SECONDS = 10  # a stick that answers slower than this is treated as broken


class StickError(Exception):
    """The stick holds no readable token; `said` tells a technician why."""

    def __init__(self, said: Said):
        super().__init__(said.en)
        self.said = said


def read_token(folder: Path) -> bytes:
    path = Path(folder) / FILENAME
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        raise _missing() from None
    except OSError as error:  # ELOOP: a link; EIO: pulled out
        raise _unreadable(error) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise StickError(
                Said(f"{FILENAME} is not a plain file", f"{FILENAME} n'est pas un simple fichier")
            )
        if info.st_size > MAX_BYTES:
            raise _too_big()
        data = os.read(descriptor, MAX_BYTES + 1)
    except OSError as error:
        raise _unreadable(error) from None
    finally:
        os.close(descriptor)
    if len(data) > MAX_BYTES:
        raise _too_big()
    return data


def _missing() -> StickError:
    return StickError(Said(f"no {FILENAME} on the stick", f"pas de {FILENAME} sur la clé"))


def _unreadable(error: OSError) -> StickError:
    why = error.strerror or str(error)
    return StickError(Said(f"{FILENAME} cannot be read: {why}", f"{FILENAME} illisible : {why}"))


def _too_big() -> StickError:
    return StickError(
        Said(f"{FILENAME} is over {MAX_BYTES} bytes", f"{FILENAME} dépasse {MAX_BYTES} octets")
    )


def read_block_device(device: Path) -> bytes:
    """TOTEM-SERVICE.token off the FAT filesystem on `device`, without mounting it."""
    env = MTOOLS_ENV
    listing = run_mtools(["mdir", "-b", "-i", str(device), "::"], env)
    names = {line.rsplit("/", 1)[-1].upper() for line in listing.decode("latin-1").split("\n")}
    if FILENAME.upper() not in names:
        raise _missing()
    data = run_mtools(["mtype", "-i", str(device), f"::{FILENAME}"], env, limit=MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _too_big()
    return data


def run_mtools(command: list[str], env: dict, limit: int = 1 << 20) -> bytes:
    """A short mtools read (a listing, the token): its output, at most `limit` bytes."""
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, close_fds=True
        )
    except OSError as error:
        raise StickError(
            Said(f"mtools cannot run: {error}", f"mtools ne démarre pas : {error}")
        ) from None
    # The reads block on a stick that hangs: a timer kills mtools, and the pipe ends.
    hung = threading.Event()

    def give_up() -> None:
        hung.set()
        process.kill()

    timer = threading.Timer(READ_SECONDS, give_up)
    timer.start()
    try:
        data = process.stdout.read(limit)
        cut = len(data) >= limit
        if cut:
            process.kill()  # past `limit` the rest is not wanted
        errors = process.stderr.read(4096)
        process.wait()
    finally:
        timer.cancel()
        process.stdout.close()
        process.stderr.close()
    if hung.is_set():
        raise StickError(Said("the stick does not answer", "la clé ne répond pas"))
    if process.returncode != 0 and not cut:
        detail = errors.decode("utf-8", "replace").strip().splitlines()
        why = detail[-1] if detail else f"exit {process.returncode}"
        raise StickError(
            Said(
                f"the stick is not a readable FAT stick ({why})",
                f"la clé n'est pas une clé FAT lisible ({why})",
            )
        )
    return data
