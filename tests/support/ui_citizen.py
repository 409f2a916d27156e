"""A scripted citizen for the UI tests: finds widgets by role and label, as a person
would, and touches their centre with the same gestures the touch stack produces."""

from __future__ import annotations

from appliance.config import load_config
from appliance.content import load_content
from appliance.touch.gestures import Gesture
from appliance.ui.app import KioskApp


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Citizen:
    def __init__(self, size=(1080, 1920), submit=None, languages=("fr", "en"), service_hook=None):
        self.clock = Clock()
        self.sent: list[tuple[str, dict]] = []
        self.app = KioskApp.from_config(
            load_config(None),
            content=load_content(),
            submit=submit or self._store,
            clock=self.clock,
            service_hook=service_hook,
            size=size,
            languages=languages,
        )

    def _store(self, kind: str, payload: dict) -> None:
        self.sent.append((kind, payload))

    def widgets(self, role: str | None = None) -> list[dict]:
        found = self.app.a11y_tree()["widgets"]
        return [w for w in found if role is None or w["role"] == role]

    def find(self, role: str, label: str, exact: bool = False) -> dict:
        matches = [
            w
            for w in self.widgets(role)
            if (w["label"] == label if exact else label.lower() in w["label"].lower())
        ]
        assert matches, f"no {role} labelled {label!r} on {self.app.screen_name}: " + ", ".join(
            f"{w['role']}:{w['label']}" for w in self.widgets()
        )
        return matches[0]

    def touch(self, widget: dict, kind: str = "tap") -> None:
        x, y, w, h = widget["rect"]
        self.clock.now += 0.5
        self.app.handle(Gesture("down", x + w // 2, y + h // 2, self.clock.now))
        self.app.handle(Gesture(kind, x + w // 2, y + h // 2, self.clock.now))

    def tap(self, role: str, label: str, exact: bool = False) -> None:
        self.touch(self.find(role, label, exact))

    def long_press(self, role: str, label: str) -> None:
        self.touch(self.find(role, label, exact=True), "long_press")

    def type(self, text: str) -> None:
        names = {" ": "espace"}
        for char in text:
            # The keyboard may have put shift on by itself (a sentence start): a person
            # looks at the keys and sets shift to the case they want.
            shift = next(w for w in self.widgets("key") if w["id"] == "key-shift")
            if char.isalpha() and char.isupper() != shift["state"]["checked"]:
                self.touch(shift)
            self.tap("key", names.get(char, char), exact=True)

    def start(self) -> None:
        self.tap("button", "commencer")

    def open_idea_keyboard(self, category: str = "Mobilité") -> None:
        """From the attract screen to the idea's text, in French, in the given category."""
        self.start()
        self.tap("button", "Boîte à idées")
        self.tap("option", category)
        self.tap("button", "Suivant")

    def wait(self, seconds: float) -> None:
        """Let time pass, running the timers the way the runtime does."""
        end = self.clock.now + seconds
        while True:
            deadline = self.app.next_deadline()
            if deadline is None or deadline > end:
                break
            self.clock.now = max(self.clock.now, deadline)
            self.app.tick(self.clock.now)
        self.clock.now = end
