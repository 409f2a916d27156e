"""`auto`: the real panel, chosen with `devices.choose_touch_device` among the evdev nodes,
grabbed so nothing else reads it (shared while a site's browser has the screen), and
followed through pyudev hotplug: unplugged, the gesture in progress is cancelled and the
source waits for a panel to come back.
"""

from __future__ import annotations

import logging
import os
import select
import time
from pathlib import Path

from appliance.touch.decoder import DecoderError
from appliance.touch.description import AbsRange, DeviceDescription
from appliance.touch.devices import Candidate, choose_touch_device
from appliance.touch.pipeline import TouchPipeline
from appliance.touch.reader import _NEVER, GestureSource, SourceDevice

log = logging.getLogger(__name__)

_RESCAN_S = 2.0  # without a panel, how often to look for one (udev may be missing)
_SETTLE_S = 0.3  # after a udev "add", wait for the device's other nodes


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
