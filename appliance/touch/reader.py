"""The reader thread behind every touch source (touch/panel.py, touch/replay.py).

A `GestureSource` runs one reader thread that waits in `select` on its inputs and on the
long-press deadline, pushes events through the pure `TouchPipeline`, and calls
`on_gesture` from that thread (the kiosk puts them into its own queue). A reader that
crashes starts again, with its faults counted in `health` for the hardware check.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from appliance.touch.description import DeviceDescription
from appliance.touch.gestures import Gesture
from appliance.touch.pipeline import TouchPipeline
from appliance.touch.transform import Transform

log = logging.getLogger(__name__)

OnGesture = Callable[[Gesture], None]
_NEVER = float("inf")
_READ_CHUNK = 65536
_RESTART_S = (1.0, 2.0, 5.0, 15.0, 30.0)  # a crashed reader starts again after these waits
_LOG_FAULT_EVERY_S = 60.0  # one traceback a minute at most: a storm must not fill the journal


@dataclass
class ReaderHealth:
    """How the reader has fared since the kiosk started, for touch.json and the screen.

    `faults` counts events the pipeline could not take (each dropped, the stream resynced);
    `error` is set while the reader cannot read at all (it keeps trying)."""

    faults: int = 0
    last_fault: str | None = None
    last_fault_at: float | None = None  # time.time()
    error: str | None = None


@dataclass
class SourceDevice:
    """The device being read, for the hardware check and the logs."""

    name: str
    path: str
    last_event_time: float | None = None  # time.monotonic() of the last event read


class GestureSource(ABC):
    """Base: the thread, the stop pipe, delivery. Subclasses implement `_run`."""

    def __init__(
        self, *, size: tuple[int, int], rotation: int = 0, matrix: Sequence[float] | None = None
    ) -> None:
        self.size = size
        self.rotation = rotation
        self.matrix = tuple(matrix) if matrix is not None else None
        self.finished = threading.Event()
        self.health = ReaderHealth()
        self.device: SourceDevice | None = None
        self._logged_fault_at = -_NEVER
        self._on_gesture: OnGesture = lambda gesture: None
        self._stop = threading.Event()
        self._wake_r, self._wake_w = os.pipe()
        self._thread: threading.Thread | None = None
        self._live: TouchPipeline | None = None  # the pipeline the reader feeds now

    @property
    def error(self) -> str | None:
        """Why the input cannot be read (a sentence), or None."""
        return self.health.error

    @error.setter
    def error(self, sentence: str | None) -> None:
        self.health.error = sentence

    def start(self, on_gesture: OnGesture) -> None:
        self._on_gesture = on_gesture
        self._thread = threading.Thread(target=self._guarded_run, name="touch", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._wake_w >= 0:
            try:
                os.write(self._wake_w, b"x")
            except OSError:
                pass
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
            if self._thread.is_alive():
                return  # the pipe stays open for a thread still winding down
        if self._wake_r >= 0:
            os.close(self._wake_r)
            os.close(self._wake_w)
            self._wake_r = self._wake_w = -1

    def share(self, shared: bool) -> None:
        """Let others read the panel too (True: a site's browser has the screen and needs
        the touches) or take it back for the kiosk alone. Only a real panel is grabbed."""
        return None  # a replayed recording is read by the kiosk alone anyway

    def _pipeline(self, description: DeviceDescription) -> TouchPipeline:
        self._live = TouchPipeline(
            description, size=self.size, rotation=self.rotation, matrix=self.matrix
        )
        return self._live

    def set_matrix(self, matrix: Sequence[float] | None) -> None:
        """A new calibration, from the main thread: the reader's next frame uses it (one
        attribute replaced whole, so a frame sees the old transform or the new one)."""
        self.matrix = tuple(matrix) if matrix is not None else None
        live = self._live
        if live is not None:
            live.transform = Transform(self.size, self.rotation, self.matrix)

    def _deliver(self, gestures: Sequence[Gesture]) -> None:
        for gesture in gestures:
            try:
                self._on_gesture(gesture)
            except Exception:  # a failing consumer must not kill the reader
                log.exception("touch: gesture handler failed on %s", gesture)

    def _feed(self, pipeline: TouchPipeline, event_type: int, code: int, value: int, t: float):
        """One event through the pipeline; an event it cannot take is dropped, counted and
        logged, and the stream resynced (the gesture in progress is cancelled): one bad
        event must never cost the citizen the touch screen."""
        try:
            gestures = pipeline.feed(event_type, code, value, t)
        except Exception as error:
            self._record_fault(f"{type(error).__name__}: {error}", event=(event_type, code, value))
            try:
                gestures = pipeline.resync(t)
            except Exception as again:
                self._record_fault(f"resync failed: {type(again).__name__}: {again}")
                return
        if gestures:
            self._deliver(gestures)

    def _record_fault(self, what: str, event: tuple[int, int, int] | None = None) -> None:
        health = self.health
        health.faults += 1
        health.last_fault, health.last_fault_at = what[:200], time.time()
        now = time.monotonic()
        if now - self._logged_fault_at >= _LOG_FAULT_EVERY_S:
            self._logged_fault_at = now
            shown = f" on event {event[0]:#x} {event[1]:#x} {event[2]}" if event else ""
            log.error(
                "touch: dropped an input the pipeline could not take%s (%s); %d so far",
                shown,
                what,
                health.faults,
                exc_info=True,
            )

    # A live panel's reader starts again after a crash; a replay reports it and ends.
    restartable = False

    def _guarded_run(self) -> None:
        crashes = 0
        try:
            while not self._stop.is_set():
                try:
                    self._run()
                    return
                except Exception as error:  # never silently: logged, shown, retried
                    log.exception("touch: reader stopped")
                    self.error = f"the touch reader stopped: {type(error).__name__}: {error}"[:300]
                    if not self.restartable:
                        return
                    wait = _RESTART_S[min(crashes, len(_RESTART_S) - 1)]
                    crashes += 1
                    log.warning("touch: starting the reader again in %.0f s", wait)
                    if self._stop.wait(wait):
                        return
        finally:
            self.finished.set()

    @abstractmethod
    def _run(self) -> None:
        """Read until the input ends or `stop()`; deliver gestures as they happen."""
