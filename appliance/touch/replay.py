"""`evemu:PATH`: a recording or a FIFO (header first, then events as they are written),
replayed in real time from its timestamps through the same decoder as the panel.
`finished` is set once the input has ended and every gesture was delivered; a bad line
sets `error`.
"""

from __future__ import annotations

import logging
import os
import select
import time
from collections import deque
from pathlib import Path

from appliance.touch.decoder import DecoderError
from appliance.touch.description import DeviceDescription
from appliance.touch.evemu import EvemuError, EvemuParser, InputEvent, read_description
from appliance.touch.pipeline import TouchPipeline
from appliance.touch.reader import _READ_CHUNK, GestureSource, SourceDevice

log = logging.getLogger(__name__)


class EvemuSource(GestureSource):
    def __init__(self, path: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.path = path

    def _run(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError as error:
            self.error = f"cannot open {self.path}: {error.strerror}"
            return
        try:
            self._replay(fd)
        except EvemuError as error:
            self.error = f"{error.path or self.path}: {error}"
        except DecoderError as error:
            self.error = f"{self.path}: {error}"
        except OSError as error:  # e.g. a directory: it opens, but cannot be read
            self.error = f"cannot read {self.path}: {error.strerror}"
        finally:
            os.close(fd)

    def _replay(self, fd: int) -> None:
        parser = EvemuParser()
        pending: deque[InputEvent] = deque()
        buffer = b""
        line_number = 0
        ended = False
        pipeline: TouchPipeline | None = None
        origin: tuple[float, float] | None = None  # (recorded t, monotonic) of the first event
        last_t = 0.0
        while not self._stop.is_set():
            now = time.monotonic()
            # Deliver what is due in recorded order: the events (each frame checks the
            # long-press timer at its own time), then a timer that expired after them.
            if pipeline is not None and origin is not None:
                while pending and origin[1] + pending[0].t - origin[0] <= now:
                    event = pending.popleft()
                    last_t = event.t
                    self.device.last_event_time = now
                    self._feed(pipeline, event.type, event.code, event.value, event.t)
                deadline = pipeline.next_deadline
                if deadline is not None and origin[1] + deadline - origin[0] <= now:
                    self._deliver(pipeline.tick(deadline))
            if ended and not pending:
                if pipeline is not None:
                    self._deliver(pipeline.tick(last_t) + pipeline.cancel(last_t))
                return
            waits = []
            if pending and origin is not None:
                waits.append(origin[1] + pending[0].t - origin[0] - now)
            if pipeline is not None and origin is not None and pipeline.next_deadline is not None:
                waits.append(origin[1] + pipeline.next_deadline - origin[0] - now)
            timeout = max(0.0, min(waits)) if waits else None
            watch = [self._wake_r] if ended or len(pending) > 4096 else [self._wake_r, fd]
            ready, _, _ = select.select(watch, [], [], timeout)
            if fd not in ready:
                continue
            chunk = os.read(fd, _READ_CHUNK)
            if not chunk:
                ended = True
                chunk = b"\n" if buffer else b""
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for raw in lines:
                line_number += 1
                event = parser.feed(raw.decode("utf-8", "replace"), line_number)
                if event is None:
                    continue
                if pipeline is None:
                    pipeline = self._pipeline(self._description(parser))
                    self.device = SourceDevice(pipeline.device_name, self.path)
                if origin is None:
                    origin = (event.t, time.monotonic())
                pending.append(event)

    def _description(self, parser: EvemuParser) -> DeviceDescription:
        if parser.description is not None:
            return parser.description
        sibling = sibling_description(self.path)
        if sibling is None:
            raise EvemuError(0, "no device description (N:, B:, A: lines) before the first event")
        return read_description(sibling)


def sibling_description(path: str) -> Path | None:
    """`NAME.scenario.events` recorded without a header is described by `NAME.desc`."""
    recording = Path(path)
    for candidate in (
        recording.with_suffix(".desc"),
        recording.with_name(recording.name.split(".", 1)[0] + ".desc"),
    ):
        if candidate != recording and candidate.is_file():
            return candidate
    return None
