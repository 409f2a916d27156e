"""A scripted citizen for end-to-end tests: touches written as evemu events into a FIFO.

The kiosk under test replays `--input evemu:FIFO` through the same decoder as a real
panel. The device is a real one: the header is copied from a recorded `.desc` fixture
(an MT protocol B panel), and screen pixels are turned into its device units, so the
whole path decoder → transform → gestures → UI is exercised.

Event timestamps follow the wall clock since the first touch, so the kiosk's real-time
replay holds a long press as long as the test asked for.
"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

from appliance.bench.panel import contact, finger_up
from appliance.touch.codes import ABS_MT_POSITION_X, ABS_MT_POSITION_Y
from appliance.touch.gestures import DEFAULT_LONG_PRESS_S

TAP_SECONDS = 0.08
LONG_PRESS_SECONDS = DEFAULT_LONG_PRESS_S + 0.3  # held well past the kiosk's threshold


def axis_ranges(desc: str) -> dict[int, tuple[int, int]]:
    """{abs code: (min, max)} from the `A:` lines of an evemu description."""
    ranges = {}
    for line in desc.splitlines():
        if line.startswith("A:"):
            code, low, high = line.split()[1:4]
            ranges[int(code, 16)] = (int(low), int(high))
    return ranges


class EvemuCitizen:
    """Writes taps and long presses, in screen pixels, as events of the device in `desc_path`."""

    def __init__(
        self, fifo: Path, desc_path: Path, screen: tuple[int, int], *, open_timeout: float = 20.0
    ):
        self.desc = desc_path.read_text(encoding="utf-8")
        self.ranges = axis_ranges(self.desc)
        self.screen = screen
        self.fd = _open_writer(fifo, open_timeout)
        self._write(self.desc if self.desc.endswith("\n") else self.desc + "\n")
        self._start: float | None = None
        self._last = 0.0
        self._tracking_id = 0

    def tap(self, x: float, y: float) -> None:
        self.press(x, y, TAP_SECONDS)

    def long_press(self, x: float, y: float) -> None:
        self.press(x, y, LONG_PRESS_SECONDS)

    def press(self, x: float, y: float, hold: float) -> None:
        """One finger down at (x, y) screen px, still, lifted `hold` seconds later."""
        t = self._now()
        dx, dy = self._device(ABS_MT_POSITION_X, x, 0), self._device(ABS_MT_POSITION_Y, y, 1)
        self._tracking_id += 1
        down = contact(dx, dy, self._tracking_id)
        up = finger_up()
        self._last = t + hold
        self._write(_lines(t, down) + _lines(t + hold, up))

    def write_raw(self, text: str) -> None:
        self._write(text)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def _now(self) -> float:
        if self._start is None:
            self._start = time.monotonic() - 0.001
        # never earlier than the previous lift: the replay must see events in order
        return max(time.monotonic() - self._start, self._last + 0.03)

    def _device(self, code: int, pixel: float, axis: int) -> int:
        low, high = self.ranges[code]
        n = pixel / (self.screen[axis] - 1)
        return round(low + n * (high - low))

    def _write(self, text: str) -> None:
        data = text.encode("utf-8")
        while data:
            written = os.write(self.fd, data)
            data = data[written:]


def _lines(t: float, events: list[tuple[int, int, int]]) -> str:
    seconds, micros = int(t), int(round((t - int(t)) * 1_000_000))
    if micros == 1_000_000:
        seconds, micros = seconds + 1, 0
    return "".join(
        f"E: {seconds}.{micros:06d} {kind:04x} {code:04x} {value:04d}\n"
        for kind, code, value in events
    )


def _open_writer(fifo: Path, timeout: float) -> int:
    """Open the FIFO's writing end once the kiosk opened its reading end (or fail)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as error:
            if error.errno != errno.ENXIO or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
            continue
        os.set_blocking(fd, True)
        return fd
