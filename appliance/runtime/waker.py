"""A self-pipe the main loop sleeps on; other threads and signals write a byte to it."""

from __future__ import annotations

import os
import select


class Waker:
    def __init__(self):
        self.read_fd, self.write_fd = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)

    def wake(self) -> None:
        try:
            os.write(self.write_fd, b"\0")
        except (BlockingIOError, OSError):
            pass  # a full pipe already means "wake up"; a closed one means we are leaving

    def wait(self, timeout: float, also: list[int] | tuple[int, ...] = ()) -> bool:
        """Sleep up to `timeout` seconds, or until one of `also` is readable; True if woken
        rather than timed out."""
        readable, _, _ = select.select([self.read_fd, *also], [], [], timeout)
        if not readable:
            return False
        if self.read_fd not in readable:
            return True
        try:
            while os.read(self.read_fd, 4096):
                pass
        except BlockingIOError:
            pass
        return True

    def close(self) -> None:
        for fd in (self.read_fd, self.write_fd):
            try:
                os.close(fd)
            except OSError:
                pass
