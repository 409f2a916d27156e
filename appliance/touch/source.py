"""Where gestures come from at run time: the real panel, or an evemu recording/FIFO.

A `GestureSource` runs one reader thread that waits in `select` on its inputs and on the
long-press deadline, pushes events through the pure `TouchPipeline`, and calls
`on_gesture` from that thread (the UI posts them into its own queue).

- `auto`: the panel is chosen with `devices.choose_touch_device` among the evdev nodes,
  grabbed so nothing else reads it, and followed through pyudev hotplug: unplugged, the
  gesture in progress is cancelled and the source waits for a panel to come back.
- `evemu:PATH`: a recording or a FIFO (header first, then events as they are written),
  replayed in real time from its timestamps through the same decoder. `finished` is set
  once the input has ended and every gesture was delivered; a bad line sets `error`.
"""

from __future__ import annotations

import logging
import os
import select
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from appliance.touch.decoder import DecoderError
from appliance.touch.description import AbsRange, DeviceDescription
from appliance.touch.devices import Candidate, choose_touch_device
from appliance.touch.evemu import EvemuError, EvemuParser, InputEvent, read_description
from appliance.touch.gestures import Gesture
from appliance.touch.pipeline import TouchPipeline
from appliance.touch.transform import Transform

log = logging.getLogger(__name__)

OnGesture = Callable[[Gesture], None]
_RESCAN_S = 2.0  # without a panel, how often to look for one (udev may be missing)
_SETTLE_S = 0.3  # after a udev "add", wait for the device's other nodes
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


def describe_evdev(device) -> DeviceDescription:
    """The description of an open `evdev.InputDevice`, axis ranges included."""
    capabilities = device.capabilities(absinfo=False)
    ranges = {}
    for code in capabilities.get(3, ()):
        info = device.absinfo(code)
        ranges[code] = AbsRange(info.min, info.max)
    return DeviceDescription(
        name=device.name,
        capabilities={kind: frozenset(found) for kind, found in capabilities.items() if found},
        properties=frozenset(device.input_props()),
        abs_ranges=ranges,
        bus=device.info.bustype,
        vendor=device.info.vendor,
        product=device.info.product,
    )


class PanelSource(GestureSource):
    """The real panel, found among `/dev/input/event*` and followed through hotplug."""

    restartable = True

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._panel = None  # the open evdev.InputDevice, grabbed unless shared
        self._panel_pipeline: TouchPipeline | None = None
        self._shared = False  # wanted: set by the main thread, applied by the reader
        self._grabbed = False  # done

    def share(self, shared: bool) -> None:
        self._shared = shared
        try:
            os.write(self._wake_w, b"s")
        except OSError:
            pass  # stopped: nothing to grab any more

    def _run(self) -> None:
        import evdev

        monitor = _udev_monitor()
        next_scan = 0.0
        try:
            while not self._stop.is_set():
                if time.monotonic() >= next_scan:
                    self._choose(evdev)
                    # Without a panel look again now and then, even with udev (a node whose
                    # permissions were not yet set when announced is found later); without
                    # udev, always (a better panel may have appeared).
                    again = self._panel is None or monitor is None
                    next_scan = time.monotonic() + _RESCAN_S if again else _NEVER
                panel, pipeline = self._panel, self._panel_pipeline
                watch = [self._wake_r]
                if monitor is not None:
                    watch.append(monitor.fileno())
                if panel is not None:
                    watch.append(panel.fd)
                waits = [max(0.0, next_scan - time.monotonic())] if next_scan < _NEVER else []
                deadline = pipeline.next_deadline if pipeline is not None else None
                if deadline is not None:
                    waits.append(max(0.0, deadline - time.time()))  # event clock: realtime
                ready, _, _ = select.select(watch, [], [], min(waits) if waits else None)
                if self._wake_r in ready:
                    os.read(self._wake_r, 64)
                if self._panel is not None and self._grabbed == self._shared:
                    self._set_grab(self._panel, not self._shared)
                if monitor is not None and monitor.fileno() in ready and _drain_monitor(monitor):
                    # A node appeared: once its siblings are there too, choose again (a
                    # panel's multitouch node may show up just after its mouse twin).
                    next_scan = min(next_scan, time.monotonic() + _SETTLE_S)
                if panel is not None and panel.fd in ready and not self._read(panel, pipeline):
                    self._drop_panel()
                    next_scan = 0.0
                if pipeline is not None and self._panel is panel:
                    deadline = pipeline.next_deadline
                    if deadline is not None and time.time() >= deadline:
                        self._deliver(pipeline.tick(deadline))
        finally:
            if self._panel is not None:
                self._close(self._panel)
                self._panel = None

    def _read(self, device, pipeline: TouchPipeline) -> bool:
        """Feed what is readable; False when the device went away."""
        try:
            for event in device.read():
                self._feed(pipeline, event.type, event.code, event.value, event.timestamp())
        except BlockingIOError:
            pass
        except OSError:
            log.warning("touch: %s went away", device.path)
            return False
        if self.device is not None:
            self.device.last_event_time = time.monotonic()
        return True

    def _drop_panel(self) -> None:
        """The panel is gone (or replaced): end its gesture and let it go."""
        if self._panel_pipeline is not None:
            self._deliver(self._panel_pipeline.cancel(time.time()))
        if self._panel is not None:
            self._close(self._panel)
        self._panel = self._panel_pipeline = None
        self.device = None

    def _choose(self, evdev) -> None:
        """Open every node, keep the best panel (switching if a better one appeared)."""
        opened = {}
        for path in evdev.list_devices():
            try:
                opened[path] = evdev.InputDevice(path)
            except OSError:
                continue
        candidates = []
        for path, node in opened.items():
            try:
                candidates.append(Candidate(Path(path).name, describe_evdev(node)))
            except OSError:
                continue
        chosen = choose_touch_device(candidates)
        keep = chosen.path if chosen is not None else None
        for path, node in opened.items():
            if path != keep or (self._panel is not None and path == self._panel.path):
                node.close()
        if chosen is None or (self._panel is not None and chosen.path == self._panel.path):
            return
        try:
            pipeline = self._pipeline(chosen.description)
        except DecoderError as error:
            self.error = str(error)
            opened[chosen.path].close()
            return
        self._drop_panel()
        device = opened[chosen.path]
        self._grabbed = False
        if not self._shared:
            self._set_grab(device, True)
        log.info("touch: reading %s (%s, %s)", device.path, device.name, pipeline.protocol)
        self._panel, self._panel_pipeline = device, pipeline
        self.device = SourceDevice(device.name, device.path)
        self.error = None

    def _set_grab(self, device, grab: bool) -> None:
        """Grabbed, nothing else (SDL, a console) sees the citizen's touches; shared, a
        site's browser (cage, through libinput) reads them while the kiosk still counts
        them as someone being there."""
        try:
            if grab:
                device.grab()
            else:
                device.ungrab()
        except OSError as error:
            log.warning("touch: cannot %s %s: %s", "grab" if grab else "ungrab", device.path, error)
            return
        self._grabbed = grab

    @staticmethod
    def _close(device) -> None:
        try:
            device.ungrab()
        except OSError:
            pass
        try:
            device.close()
        except OSError:
            pass


def _udev_monitor():
    """A pyudev monitor of the input subsystem, or None (then the source polls)."""
    try:
        import pyudev

        monitor = pyudev.Monitor.from_netlink(pyudev.Context())
        monitor.filter_by(subsystem="input")
        monitor.start()
        return monitor
    except Exception as error:  # no udev in a container: polling still finds the panel
        log.warning("touch: no udev monitor (%s); polling for panels", error)
        return None


def _drain_monitor(monitor) -> bool:
    """Read pending udev events; True when an input node was added."""
    added = False
    while True:
        udev_device = monitor.poll(timeout=0)
        if udev_device is None:
            return added
        if udev_device.action == "add" and (udev_device.device_node or "").startswith(
            "/dev/input/event"
        ):
            added = True


def open_source(
    spec: str,
    *,
    size: tuple[int, int],
    rotation: int = 0,
    matrix: tuple[float, ...] | None = None,
) -> GestureSource:
    """`auto` (the real panel) or `evemu:PATH` (a recording or FIFO replayed in real time)."""
    if spec == "auto":
        return PanelSource(size=size, rotation=rotation, matrix=matrix)
    if spec.startswith("evemu:") and len(spec) > len("evemu:"):
        return EvemuSource(spec[len("evemu:") :], size=size, rotation=rotation, matrix=matrix)
    raise ValueError(f"touch input must be 'auto' or 'evemu:PATH', not {spec!r}")
