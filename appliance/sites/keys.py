"""The kiosk's AZERTY keyboard, drawn in GTK under a site's page (sites/browser.py).

Same rows, pages, shift and accents as the kiosk's own (ui/keyboard.py holds that state;
this only draws it and turns its keys into `type_key` calls): a long press on a letter
offers its accents above the keys, as on the kiosk's screens. Needs GTK 4 (Debian's
python3-gi); only the browser imports it.
"""

from __future__ import annotations

from collections.abc import Callable

from gi.repository import Gtk

from appliance.sites.typing import ENTER
from appliance.ui.keyboard import BACKSPACE, PAGE, SHIFT, SPACE, Keyboard

STYLE = """
.totem-keyboard { background: #e9ecef; padding: 6px; }
.totem-keyboard button { min-height: 76px; min-width: 64px; font-size: 30px; margin: 3px; }
.totem-keyboard .totem-accents button { background: #ffd166; }
"""

# The bottom row: (key, label, how much wider than a letter).
BOTTOM = (
    (PAGE, None, 2),
    (SHIFT, "⇧", 2),
    (SPACE, "espace", 6),
    (",", ",", 1),
    (".", ".", 1),
    (BACKSPACE, "⌫", 2),
    (ENTER, "Entrée", 3),
)


class KeyboardPanel:
    def __init__(self, type_key: Callable[[str], None]):
        self.state = Keyboard(max_length=1 << 30)  # the page holds the text, not this
        self.type_key = type_key
        self.widget = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
        self.widget.add_css_class("totem-keyboard")
        self.widget.set_visible(False)
        self._held: str | None = None
        self._draw()

    def show(self, shown: bool) -> None:
        if not shown and self.state.popup is not None:
            self.state.close_popup()
            self._draw()
        self.widget.set_visible(shown)

    def press(self, key: str) -> None:
        """A key as the citizen tapped it (a character, SPACE, BACKSPACE, ENTER, SHIFT,
        PAGE, or one of the accents offered)."""
        state = self.state
        look = self._look()
        if state.popup is not None and key in state.accents():
            state.choose_accent(key)
            self.type_key(key)
        elif key in (SHIFT, PAGE):
            state.press(key)
        elif key == ENTER:
            state.close_popup()
            self.type_key(ENTER)
        else:
            state.press(key)
            self.type_key(key)
        if self._look() != look:  # only then: forty buttons are not remade for a letter
            self._draw()

    def long_press(self, key: str) -> None:
        """A finger held on a letter: its accents, when it has some."""
        self._held = key  # the release that follows is not also a tap
        if self.state.long_press(key):
            self._draw()
        else:
            self.press(key)

    def _clicked(self, key: str) -> None:
        if self._held == key:
            self._held = None
            return
        self._held = None
        self.press(key)

    def _look(self) -> tuple:
        return (self.state.shift, self.state.digits, self.state.popup)

    # -- drawing ----------------------------------------------------------------------
    def _draw(self) -> None:
        while (child := self.widget.get_first_child()) is not None:
            self.widget.remove(child)
        state = self.state
        if state.popup is not None:
            accents = self._row([(a, a, 1) for a in state.accents()])
            accents.add_css_class("totem-accents")
            self.widget.append(accents)
        for row in state.rows():
            self.widget.append(self._row([(c, c, 1) for c in row]))
        bottom = []
        for key, label, weight in BOTTOM:
            if key == PAGE:
                label = "abc" if state.digits else "123"
            bottom.append((key, label, weight))
        self.widget.append(self._row(bottom))

    def _row(self, keys) -> Gtk.Box:
        row = Gtk.Box(orientation=Gtk.Orientation.HORIZONTAL, homogeneous=False)
        row.set_halign(Gtk.Align.CENTER)
        for key, label, weight in keys:
            button = Gtk.Button(label=label)
            button.set_size_request(64 * weight + 6 * (weight - 1), -1)
            button.connect("clicked", lambda _b, k=key: self._clicked(k))
            if len(key) == 1 and key.isalpha():
                hold = Gtk.GestureLongPress()
                hold.connect("pressed", lambda *_a, k=key: self.long_press(k))
                button.add_controller(hold)
            if key == SHIFT and self.state.shift:
                button.add_css_class("suggested-action")
            row.append(button)
        return row
