"""Touch-to-frame latency and full-screen render times, measured in this process.

The path is the real one: synthetic kernel events of an MT panel → decoder → transform
→ gesture recogniser → `KioskApp.handle` → `render` → `display.flip`, at 1080×1920 with
SDL's dummy video driver (no GPU: what is measured is the CPU work the kiosk does).
Latency runs from handing a packet's first event to the decoder to the end of the
display update, for every packet the UI answered with a frame (the pressed look on
finger-down, the key typed or the next screen on lift). Render time is a full redraw.
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from collections.abc import Callable

from appliance.bench import panel as bench_panel
from appliance.config import load_config
from appliance.runtime.video import Presenter
from appliance.ui.screen_names import DEFAULT_SIZE

SIZE = DEFAULT_SIZE  # the panel the kiosk ships with by default
KEY_TAPS = 60
NAVIGATION_ROUNDS = 8
RENDERS_PER_SCREEN = 20
FLOW_BUTTONS = ("Suivant", "Envoyer", "Valider", "Confirmer", "Passer")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


class TouchBench:
    """A kiosk app on a dummy display, touched through the real touch pipeline."""

    def __init__(self, scratch: str):
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        import pygame

        from appliance.content import load_content
        from appliance.store import Outbox
        from appliance.touch.evemu import EvemuParser
        from appliance.touch.pipeline import TouchPipeline
        from appliance.ui.app import KioskApp

        self.pygame = pygame
        pygame.display.init()
        pygame.font.init()
        self.presenter = Presenter(pygame.display.set_mode(SIZE), SIZE, 0)
        config = load_config(None)
        self.outbox = Outbox(scratch)
        self.app = KioskApp.from_config(
            config,
            content=load_content(None),
            submit=lambda kind, payload: self.outbox.add(
                kind, payload, kiosk_id="bench", content_version="bench"
            ),
            size=SIZE,
            idle_seconds=3600,  # no idle countdown in the middle of a measurement
        )
        parser = EvemuParser()
        for number, line in enumerate(bench_panel.header().splitlines(), start=1):
            parser.feed(line, number)
        self.pipeline = TouchPipeline(parser.description, size=SIZE)
        self.t = 0.0
        self.tracking_id = 0
        self.frame()

    def close(self) -> None:
        # pygame stays initialised: the UI caches fonts that must not outlive it
        self.outbox.close()

    def frame(self, full: bool = False) -> None:
        """Draw as the kiosk does (only what changed), or everything when `full`."""
        if full:
            self.app.forget_frame()
        self.app.render(self.presenter.canvas)
        self.presenter.present(self.app.damage)

    def tap(self, x: int, y: int, latencies: list[float]) -> None:
        """One finger down then up at (x, y); each packet's touch-to-frame time recorded."""
        self.tracking_id += 1
        self.t += 0.2
        self._packet(bench_panel.finger_down(x, y, SIZE, self.tracking_id), latencies)
        self.t += 0.06
        self._packet(bench_panel.finger_up(), latencies)

    def _packet(self, events: list[tuple], latencies: list[float]) -> None:
        started = time.perf_counter()
        for event_type, code, value in events:
            for gesture in self.pipeline.feed(event_type, code, value, self.t):
                self.app.handle(gesture)
        if self.app.dirty:
            self.frame()
            latencies.append(time.perf_counter() - started)

    def find(self, role: str, match: Callable[[str], bool]) -> dict | None:
        for widget in self.app.a11y_tree()["widgets"]:
            if widget["role"] == role and widget.get("enabled", True) and match(widget["label"]):
                return widget
        return None

    def tap_widget(self, widget: dict, latencies: list[float]) -> None:
        x, y, w, h = widget["rect"]
        self.tap(x + w // 2, y + h // 2, latencies)


def measure_in_process() -> dict[str, float]:
    """Touch-to-frame latency, then the render time of every screen, on one kiosk app."""
    with tempfile.TemporaryDirectory(prefix="totem-bench-") as scratch:
        bench = TouchBench(scratch)
        try:
            figures = {**measure_latency(bench), **measure_render(bench)}
            figures.update(measure_rotated_typing(bench))
            return figures
        finally:
            bench.close()


def measure_latency(bench: TouchBench) -> dict[str, float]:
    keys: list[float] = []
    screens: list[float] = []
    _open_keyboard(bench, screens)
    for index in range(KEY_TAPS):
        letter = "azertyuiop"[index % 10]
        # Either case: the keyboard shows capitals by itself at the start of the text.
        key = bench.find("key", lambda label, letter=letter: label.lower() == letter)
        erase = bench.find("key", lambda label: label == "effacer")
        if key is None or erase is None:
            break
        bench.tap_widget(key if index % 2 == 0 else erase, keys)
    for _ in range(NAVIGATION_ROUNDS):
        bench.app.show_screen("home")
        bench.frame()
        tile = bench.find("button", lambda label: "boîte à idées" in label.lower())
        if tile is None:
            break
        bench.tap_widget(tile, screens)
    every = keys + screens
    if not every:
        raise RuntimeError("no frame was drawn in answer to a touch")
    figures = {
        "touch_to_frame_latency_ms_p50": _ms(percentile(every, 50)),
        "touch_to_frame_latency_ms_p99": _ms(percentile(every, 99)),
        "latency_samples": len(every),
    }
    if keys:
        figures["key_press_latency_ms_p99"] = _ms(percentile(keys, 99))
    if screens:
        figures["screen_change_latency_ms_p99"] = _ms(percentile(screens, 99))
    return figures


def measure_rotated_typing(bench: TouchBench) -> dict[str, float]:
    """Typing on a panel mounted at 90° (a landscape panel standing in portrait): the same
    touches, plus turning the repainted rectangles onto the panel."""
    pygame = bench.pygame
    bench.presenter = Presenter(pygame.display.set_mode((SIZE[1], SIZE[0])), SIZE, 90)
    bench.frame(full=True)
    keys: list[float] = []
    _open_keyboard(bench, [])
    for index in range(KEY_TAPS // 2):
        wanted = "a" if index % 2 == 0 else "effacer"
        key = bench.find("key", lambda label, wanted=wanted: label.lower() == wanted)
        if key is None:
            break
        bench.tap_widget(key, keys)
    bench.presenter = Presenter(pygame.display.set_mode(SIZE), SIZE, 0)
    bench.frame(full=True)
    return {"rotated_90_key_press_latency_ms_p99": _ms(percentile(keys, 99))} if keys else {}


def measure_render(bench: TouchBench) -> dict[str, float]:
    from appliance.ui.screen_names import SCREEN_NAMES
    from appliance.ui.screenshots import prepare

    figures: dict[str, float] = {}
    for name in SCREEN_NAMES:
        bench.app.set_out_of_service(None)
        prepare(bench.app, name)
        bench.frame(full=True)  # builds the widgets and warms the text caches
        times = []
        for _ in range(RENDERS_PER_SCREEN):
            started = time.perf_counter()
            bench.frame(full=True)
            times.append(time.perf_counter() - started)
        figures[f"render_{name}_ms_p50"] = _ms(percentile(times, 50))
        figures[f"render_{name}_ms_p99"] = _ms(percentile(times, 99))
    bench.app.set_out_of_service(None)
    return figures


def _open_keyboard(bench: TouchBench, latencies: list[float]) -> None:
    """Walk the ideas flow with touches until the on-screen keyboard shows."""
    bench.app.show_screen("ideas")
    bench.frame()
    for _ in range(4):
        if bench.find("key", lambda label: label.lower() == "a") is not None:
            return
        target = bench.find("button", lambda label: label in FLOW_BUTTONS) or bench.find(
            "option", lambda label: True
        )
        if target is None:
            return
        bench.tap_widget(target, latencies)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)
