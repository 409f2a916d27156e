"""The kiosk's main loop: gestures in, frames out, submissions committed, systemd told.

Sleeping happens in `select()` on a wake-up pipe rather than in `pygame.event.wait()`:
pygame's wait polls SDL every millisecond (measured ~1.7 % of a core doing nothing),
while a pipe costs nothing until the reader thread, a signal or a deadline wakes us.
Gestures travel through a queue of ours, in order, with a byte on the pipe to say
"look" — not through pygame's, which is gone while a site's browser has the screen
(runtime/visits.py) and the touches still say whether someone is there.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appliance.config import Config, ConfigError, load_config
from appliance.content import CACHE_FILENAME, load_content
from appliance.runtime import problems
from appliance.runtime.schedule import Schedule, sleep_for
from appliance.runtime.sdnotify import Notifier
from appliance.runtime.servicedesk import POLL_SECONDS as SERVICE_POLL_SECONDS
from appliance.runtime.servicedesk import ServiceDesk
from appliance.runtime.touchstate import TouchStatePublisher
from appliance.runtime.video import Presenter, block_sdl_pointer, configure_sdl, open_display
from appliance.runtime.visits import VisitHost
from appliance.runtime.waker import Waker
from appliance.runtime.watch import FileWatch
from appliance.said import Problem, Said
from appliance.service.visit import STATE_FILE

log = logging.getLogger(__name__)

CONTENT_POLL_SECONDS = 3.0
HWCHECK_POLL_SECONDS = 5.0
TOUCH_STATE_SECONDS = 30.0
# A UI deadline closer than this counts as an animation still running when deciding that
# a replayed input has been fully acted upon.
SETTLE_SECONDS = 0.5
LONGEST_SLEEP = 3600.0
POINTER_PUMP_SECONDS = 0.01  # with --input mouse SDL must be pumped to see the pointer


INPUT_ENDED = object()  # in the gesture queue: a replayed input has no more to say


class KioskError(Exception):
    """The display or the touch input could not be opened or replayed (one sentence)."""


@dataclass(frozen=True)
class Options:
    config_path: str | None
    data_dir: Path
    video: str = "auto"
    input: str = "auto"
    a11y_out: Path | None = None
    service_state: Path = Path(STATE_FILE)  # what the dongle reader says (root's unit)
    browser_prefix: tuple[str, ...] = ()  # a command the site browser runs under (tests)


class Kiosk:
    def __init__(
        self,
        options: Options,
        *,
        notifier: Notifier | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.options = options
        self.notifier = notifier or Notifier()
        self.clock = clock
        self.config, self._config_problem = _config(options.config_path)
        self._outbox_problem: Problem | None = None
        self._hardware_problem: Problem | None = None
        self._warnings: tuple[Said, ...] = ()
        self._shown_problem: Problem | None = None
        self._stopping = False
        self._input_ended = False
        self._drawn_frames = 0
        self._a11y_failed = False
        self._status = ""
        self.schedule = Schedule()
        self.waker = Waker()
        # Made by run() once SDL is configured; None until then.
        self._pygame: Any = None
        # Gestures from the reader thread, then INPUT_ENDED once a replayed input is over.
        self._gestures: queue.SimpleQueue = queue.SimpleQueue()
        self.presenter: Presenter | None = None  # None while a site's browser has the screen
        self.outbox: Any = None  # appliance.store.Outbox, or None when it cannot open
        self.content: dict = {}
        self.app: Any = None  # appliance.ui.app.KioskApp
        self.source: Any = None  # appliance.touch.reader.GestureSource
        self.pointer: Any = None  # PointerGestures with --input mouse
        self._content_watch = FileWatch(options.data_dir / CACHE_FILENAME)
        self.service_desk = ServiceDesk(self)
        self._touch_state = TouchStatePublisher(options.data_dir)
        self.visits = VisitHost(self)

    # -- lifecycle -------------------------------------------------------------------

    def run(self) -> int:
        """Serve until SIGTERM (exit 0) or, for a replayed input, until it was acted upon."""
        pointer_mode = self.options.input == "mouse"
        configure_sdl(self.options.video, sdl_pointer=pointer_mode)
        import pygame

        self._pygame = pygame
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
        previous_wakeup = signal.set_wakeup_fd(self.waker.write_fd)
        for sig in previous:
            signal.signal(sig, self._on_signal)
        try:
            self._start()
            return self._loop()
        finally:
            self.visits.end(take_back=False)
            if self.source is not None:
                self.source.stop()
            if self.outbox is not None:
                self.outbox.close()
            signal.set_wakeup_fd(previous_wakeup)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.notifier.notify(STOPPING=1)
            self.waker.close()
            pygame.quit()

    def _start(self) -> None:
        pygame = self._pygame
        size = self.config.screen_size
        rotation = self.config.display["rotation"]
        self.take_display()
        self._open_outbox()
        self.content = load_content(self.options.data_dir)
        self.app = self._make_app()
        self._content_watch.changed()  # what is there now was just loaded
        self._poll_hardware()
        self._update_problem()

        now = self.clock()
        self.schedule.every(
            "content", CONTENT_POLL_SECONDS, self._reload_content, start=now + CONTENT_POLL_SECONDS
        )
        self.schedule.every(
            "hardware", HWCHECK_POLL_SECONDS, self._recheck, start=now + HWCHECK_POLL_SECONDS
        )
        self.schedule.every("touch-state", TOUCH_STATE_SECONDS, self._publish_touch, start=now + 1)
        self.schedule.every("dongle", SERVICE_POLL_SECONDS, self.service_desk.poll, start=now)
        if self.notifier.watchdog_interval:
            self.schedule.every(
                "watchdog", self.notifier.watchdog_interval, self.notifier.watchdog, start=now
            )

        pygame.event.clear()  # start-up noise only: gestures may follow at once
        if self.options.input == "mouse":
            from appliance.runtime.pointer import PointerGestures

            self.pointer = PointerGestures(size, rotation, self.presenter.display.get_size())
        else:
            self.pointer = None
            self._open_source(size, rotation)
        self.draw()
        log.info(
            "kiosk: %s %dx%d rotation %d, input %s, data in %s",
            pygame.display.get_driver(),
            *size,
            rotation,
            self.options.input,
            self.options.data_dir,
        )

    def take_display(self) -> None:
        """Open the screen (at start, and when a site's browser gave it back)."""
        size, rotation = self.config.screen_size, self.config.display["rotation"]
        try:
            display = open_display(size, rotation)
        except self._pygame.error as error:
            raise KioskError(f"cannot open the display: {error}") from None
        self.presenter = Presenter(display, size, rotation)
        if self.options.input != "mouse":
            block_sdl_pointer()
        if self.app is not None:
            self.app.forget_frame()  # the browser drew there: everything is drawn again

    def release_display(self) -> None:
        """Let the screen go (DRM master, on the totem) for a site's browser to take."""
        self.presenter = None
        self._pygame.display.quit()

    def _make_app(self):
        from appliance.ui.app import KioskApp

        return KioskApp.from_config(
            self.config,
            content=self.content,
            submit=self._submit,
            clock=self.clock,
            service_hook=self.service_desk.on_event,
        )

    def _open_outbox(self) -> None:
        from appliance.store import Outbox, OutboxError

        try:
            self.options.data_dir.mkdir(parents=True, exist_ok=True)
            self.outbox = Outbox(self.options.data_dir)
        except (OSError, OutboxError) as error:
            self.outbox = None
            self._outbox_problem = problems.outbox_problem(error)

    def _open_source(self, size: tuple[int, int], rotation: int) -> None:
        from appliance.touch import kept
        from appliance.touch.source import open_source

        matrix = kept.in_force(self.options.data_dir, self.config.touch["matrix"])
        try:
            self.source = open_source(
                self.options.input, size=size, rotation=rotation, matrix=matrix
            )
            self.source.start(self._on_gesture)
        except (OSError, ValueError) as error:
            raise KioskError(_sentence(error)) from None
        threading.Thread(target=self._watch_input_end, name="input-end", daemon=True).start()

    # -- the loop --------------------------------------------------------------------

    def _loop(self) -> int:
        pygame = self._pygame
        while not self._stopping:
            self._take_gestures()
            if self.presenter is not None:  # SDL's own events exist only with a display
                for event in pygame.event.get():
                    self._dispatch(event)
            now = self.clock()
            self.schedule.run_due(now)
            deadline = self.app.next_deadline()
            if deadline is not None and deadline <= now:
                self.app.tick(now)
            if self.pointer is not None:
                self.pointer.tick(now, self._handle)
            self.visits.step()
            if self.app.dirty:
                self.draw()
            if self._input_ended and self._settled():
                return self._end_of_input()
            pumping = self.pointer is not None and self.presenter is not None
            longest = POINTER_PUMP_SECONDS if pumping else LONGEST_SLEEP
            now = self.clock()
            self.waker.wait(
                sleep_for(
                    now, self.app.next_deadline(), self.schedule.next_deadline(), longest=longest
                ),
                also=self.visits.fds(),
            )
        return 0

    def _take_gestures(self) -> None:
        while True:
            try:
                gesture = self._gestures.get_nowait()
            except queue.Empty:
                return
            if gesture is INPUT_ENDED:
                self._input_ended = True
            else:
                self._handle(gesture)

    def _dispatch(self, event) -> None:
        pygame = self._pygame
        if event.type == pygame.QUIT:
            self._stopping = True
        elif self.pointer is not None:
            self.pointer.feed(event, self.clock(), self._handle)

    def _handle(self, gesture: Any) -> None:
        try:
            self.app.handle(gesture)
        except Exception:
            # One touch gone wrong must not leave the lobby with a dead screen: log it for
            # the technician, start the citizen over.
            log.exception("kiosk: the UI failed on %s; starting the session over", gesture)
            self.app.wipe()

    # -- periodic duties (the schedule runs them) ------------------------------------------

    def _reload_content(self) -> None:
        if self._content_watch.changed():
            self.content = load_content(self.options.data_dir)
            self.app.set_content(self.content)

    def _publish_touch(self) -> None:
        if self.source is not None:
            self._touch_state.publish(self.source.device, self.source.health)

    def _recheck(self) -> None:
        if self.outbox is None:  # e.g. the data partition was mounted late: try again
            self._outbox_problem = None
            self._open_outbox()
        self._poll_hardware()
        self._update_problem()

    def draw(self) -> None:
        if self.presenter is None:  # the browser has the screen: only the description
            self.app.dirty = False
            if self.options.a11y_out is not None:
                self._publish_a11y()
            return
        self.app.render(self.presenter.canvas)
        self.presenter.present(getattr(self.app, "damage", None))
        self._drawn_frames += 1
        if self.options.a11y_out is not None:
            self._publish_a11y()
        status = f"screen {self.app.screen_name}"
        if self._shown_problem:
            status = f"out of service: {self._shown_problem.code}"
        if self._drawn_frames == 1:
            self.notifier.ready(status)
        elif status != self._status:
            self.notifier.status(status)
        self._status = status

    def _publish_a11y(self) -> None:
        path = self.options.a11y_out
        temporary = path.with_name(f".{path.name}.tmp")
        try:
            temporary.write_text(json.dumps(self.app.a11y_tree(), ensure_ascii=False), "utf-8")
            os.replace(temporary, path)
        except OSError as error:
            if not self._a11y_failed:  # once: the screen matters more than its description
                log.warning("kiosk: cannot write %s: %s", path, error)
            self._a11y_failed = True

    def _settled(self) -> bool:
        if self.app.dirty or not self._gestures.empty() or self.visits.busy:
            return False
        if self.presenter is not None and self._pygame.event.peek():
            return False
        deadline = self.app.next_deadline()
        return deadline is None or deadline - self.clock() > SETTLE_SECONDS

    def _end_of_input(self) -> int:
        error = getattr(self.source, "error", None)
        if error:
            raise KioskError(str(error))
        return 0

    # -- callbacks from elsewhere ----------------------------------------------------

    def _on_gesture(self, gesture: Any) -> None:
        """Reader thread: hand the gesture to the main loop, in order."""
        self._gestures.put(gesture)
        self.waker.wake()

    def _watch_input_end(self) -> None:
        finished = getattr(self.source, "finished", None)
        if finished is None:
            return
        finished.wait()
        self._gestures.put(INPUT_ENDED)
        self.waker.wake()

    def _on_signal(self, signum: int, frame: Any) -> None:
        self._stopping = True

    def _submit(self, kind: str, payload: dict):
        """Commit the submission; returns only once it is on disk (then the UI says Merci)."""
        from appliance.store import OutboxError

        if self.outbox is None:
            raise OutboxError("the outbox could not be opened")
        return self.outbox.add(
            kind,
            payload,
            kiosk_id=self.config.site["kiosk_id"],
            content_version=str(self.content.get("version", "unknown")),
        )

    # -- out of service --------------------------------------------------------------

    def _poll_hardware(self) -> None:
        problem, warnings = problems.hardware_state(self.options.data_dir)
        self._hardware_problem = problem
        if warnings != self._warnings:
            self._warnings = warnings
            self.app.set_warning(warnings)

    def _update_problem(self) -> None:
        problem = problems.shown_problem(
            self._config_problem,
            self._outbox_problem,
            problems.touch_reader_problem(self.source),
            self._hardware_problem,
        )
        if problem != self._shown_problem:
            self._shown_problem = problem
            self.app.set_out_of_service(problem)


def _config(path: str | None) -> tuple[Config, Problem | None]:
    """The configuration, or the embedded default plus the problem to show."""
    try:
        return load_config(path), None
    except ConfigError as error:
        problem = problems.config_problem(error)
        # The journal says what the screen says, for a technician reading the logs.
        log.error("kiosk: out of service (%s): %s", problem.code, problem.message.fr)
        log.error("kiosk: out of service (%s): %s", problem.code, problem.message.en)
        return load_config(None), problem


def _sentence(error: Exception) -> str:
    if isinstance(error, OSError) and error.filename:
        return f"{error.strerror}: {error.filename}"
    return str(error)
