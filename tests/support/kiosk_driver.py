"""Runs `totem run` as a subprocess and looks at it the way a person would.

The kiosk is started with `--video dummy --input evemu:FIFO --a11y-out F`; the test
reads F (the accessibility tree after every frame) to find widgets by role and label,
and touches their centres through an `EvemuCitizen` writing into the FIFO.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from evemu_citizen import EvemuCitizen
from waiting import WAIT_SECONDS, poll

from appliance.runtime.headless import kiosk_command, kiosk_environment
from appliance.ui.screen_names import DEFAULT_SIZE

SIZE = DEFAULT_SIZE  # the kiosk runs with the embedded default totem.toml


class KioskProcess:
    def __init__(
        self,
        workdir: Path,
        desc: Path,
        *,
        config: Path | None = None,
        env: dict[str, str] | None = None,
        connect: bool = True,
        browser_prefix: str | None = None,
    ):
        self.workdir = workdir
        self.data_dir = workdir / "data"
        self.a11y = workdir / "a11y.json"
        self.fifo = workdir / "panel.fifo"
        self.service_state = workdir / "dongle.json"  # what the dongle reader would say
        os.mkfifo(self.fifo)
        self.process = subprocess.Popen(
            kiosk_command(
                self.fifo,
                self.data_dir,
                a11y_out=self.a11y,
                config=config,
                service_state=self.service_state,
                browser_prefix=browser_prefix,
            ),
            env=kiosk_environment(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.citizen = EvemuCitizen(self.fifo, desc, SIZE) if connect else None
        self.said = ""  # what log_line() has read of the kiosk's stderr so far
        self._looked = 0  # where the next log_line() looks from in it

    # -- looking ---------------------------------------------------------------------

    def tree(self) -> dict | None:
        try:
            return json.loads(self.a11y.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def wait_for(
        self, what: str, predicate: Callable[[dict], object], timeout: float = WAIT_SECONDS
    ):
        """The first truthy `predicate(tree)`; fails naming `what` and the screen seen."""

        def look():
            tree = self.tree()
            found = predicate(tree) if tree is not None else None
            if not found and self.process.poll() is not None:
                raise AssertionError(
                    f"kiosk exited ({self.process.returncode}) while waiting "
                    f"for {what}: {self.said}{self.process.stderr.read() or ''}"
                )
            return found

        found = poll(look, timeout)
        if found:
            return found
        tree = self.tree()
        labels = [(w["role"], w["label"]) for w in (tree or {}).get("widgets", [])]
        raise AssertionError(
            f"no {what} after {timeout} s; screen {(tree or {}).get('screen')!r} shows {labels}"
        )

    def widget(
        self,
        role: str,
        label: str | Callable[[str], bool],
        *,
        exact: bool = False,
        timeout: float = WAIT_SECONDS,
    ) -> dict:
        """Wait for an enabled widget of `role` whose label contains `label` (any case)."""

        def matches(text: str) -> bool:
            if callable(label):
                return label(text)
            return text == label if exact else label.lower() in text.lower()

        def find(tree: dict):
            for widget in tree["widgets"]:
                if (
                    widget["role"] == role
                    and widget.get("enabled", True)
                    and matches(widget["label"])
                ):
                    return widget
            return None

        return self.wait_for(f"{role} {label!r}", find, timeout)

    def screen(self, name: str, timeout: float = WAIT_SECONDS) -> dict:
        return self.wait_for(
            f"screen {name!r}", lambda t: t if t["screen"] == name else None, timeout
        )

    def log_line(self, text: str, timeout: float = WAIT_SECONDS) -> str:
        """Wait for the kiosk to log a line containing `text`, after the lines earlier calls
        returned; that line."""
        stream = self.process.stderr.fileno()
        os.set_blocking(stream, False)
        deadline = time.monotonic() + timeout
        while True:
            start = self._looked
            for line in self.said[start:].splitlines(keepends=True):
                start += len(line)
                if text in line and line.endswith("\n"):
                    self._looked = start
                    return line.rstrip("\n")
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([stream], [], [], left)[0]:
                raise AssertionError(f"the kiosk did not log {text!r}; it said:\n{self.said}")
            chunk = os.read(stream, 65536)
            if not chunk:
                raise AssertionError(f"the kiosk ended before logging {text!r}:\n{self.said}")
            self.said += chunk.decode(errors="replace")

    # -- touching --------------------------------------------------------------------

    def tap(self, widget: dict) -> None:
        self.citizen.tap(*_centre(widget))

    def long_press(self, widget: dict) -> None:
        self.citizen.long_press(*_centre(widget))

    # -- ending ----------------------------------------------------------------------

    def end_input(self, timeout: float = WAIT_SECONDS) -> int:
        """Close the panel's FIFO: the kiosk exits once it has acted on everything."""
        self.citizen.close()
        return self.wait(timeout)

    def terminate(self, timeout: float = WAIT_SECONDS) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.wait(timeout)

    def wait(self, timeout: float = WAIT_SECONDS) -> int:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError("kiosk did not exit in time") from None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.citizen is not None:
            self.citizen.close()

    def outbox(self) -> list[dict]:
        listing = subprocess.run(
            [sys.executable, "-m", "appliance", "outbox", "list", "--data-dir", str(self.data_dir)],
            capture_output=True,
            text=True,
            check=True,
        )
        return [json.loads(line) for line in listing.stdout.splitlines()]


@contextmanager
def kiosks(workdir: Path, desc: Path) -> Iterator[Callable[..., KioskProcess]]:
    """`start(**options)` → a new KioskProcess; every kiosk started is killed at the end."""
    started: list[KioskProcess] = []

    def start(**options) -> KioskProcess:
        process = KioskProcess(workdir, desc, **options)
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in started:
            process.kill()


def _centre(widget: dict) -> tuple[int, int]:
    x, y, w, h = widget["rect"]
    return x + w // 2, y + h // 2
