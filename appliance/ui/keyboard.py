"""The on-screen AZERTY keyboard as pure state: pages, shift, accent popup, the text typed.

Drawing and hit-testing live with the widgets; this module only answers "what happens
when this key is pressed", so it is tested without a screen.
"""

from __future__ import annotations

from dataclasses import dataclass

LETTER_ROWS = ("azertyuiop", "qsdfghjklm", "wxcvbn'")
# "." and "," sit on the bottom row of both pages (keyboard_view): not a second time here.
DIGIT_ROWS = ("1234567890", "@#€%&-+()/", '?!:;"*_')

# A long press on a letter offers these (DESIGN.md lists the French set).
ACCENTS = {
    "e": "éèêë",
    "a": "àâäæ",
    "c": "ç",
    "u": "ùûü",
    "i": "îï",
    "o": "ôöœ",
    "y": "ÿ",
}

SPACE, BACKSPACE, SHIFT, PAGE = "space", "backspace", "shift", "page"

SENTENCE_ENDS = ".!?…"


def at_sentence_start(text: str) -> bool:
    """Where the next letter starts a sentence: nothing typed yet, or a sentence end
    followed by a space ("Pourquoi ? " included: French puts a space before "?")."""
    if not text.strip():
        return True
    return text.endswith((" ", "\n")) and text.rstrip()[-1] in SENTENCE_ENDS


@dataclass
class Keyboard:
    """What is typed and how the keyboard looks right now."""

    max_length: int = 500
    text: str = ""
    shift: bool = False
    digits: bool = False
    popup: str | None = None  # the letter whose accents are offered
    # Capital at the start of the text and of each sentence, as phones do: citizens type
    # prose with one finger and should not have to reach for shift. Off for codes.
    auto_capital: bool = False
    _auto_shifted: bool = False  # the shift now on was put there by auto_capital

    def __post_init__(self) -> None:
        self._follow_sentence()

    def rows(self) -> tuple[str, ...]:
        rows = DIGIT_ROWS if self.digits else LETTER_ROWS
        return tuple(self._cased(row) for row in rows)

    def accents(self) -> str:
        """The accented characters of the open popup, in the current case."""
        return self._cased(ACCENTS.get(self.popup or "", ""))

    def press(self, key: str) -> None:
        """A tap on `key`: a character, or SPACE, BACKSPACE, SHIFT, PAGE."""
        self.popup = None
        if key == SHIFT:
            self.shift, self._auto_shifted = not self.shift, False
        elif key == PAGE:
            self.digits = not self.digits
        elif key == BACKSPACE:
            self.text = self.text[:-1]
            self._follow_sentence()
        elif key == SPACE:
            self._type(" ")
        else:
            self._type(key)

    def long_press(self, key: str) -> bool:
        """Open the accents of `key`; False when it has none (then it types as a tap)."""
        if key.lower() in ACCENTS and not self.digits:
            self.popup = key.lower()
            return True
        return False

    def choose_accent(self, char: str) -> None:
        self._type(char)
        self.popup = None

    def close_popup(self) -> None:
        self.popup = None

    def clear(self) -> None:
        self.text, self.shift, self.digits, self.popup = "", False, False, None
        self._auto_shifted = False
        self._follow_sentence()

    def _type(self, char: str) -> None:
        if len(self.text) < self.max_length:
            self.text += char
        # Shift applies to one letter, as on phones: citizens expect it.
        if self.shift and char.isalpha():
            self.shift, self._auto_shifted = False, False
        self._follow_sentence()

    def _follow_sentence(self) -> None:
        """Shift on at a sentence start; a shift auto_capital set goes once the start is
        passed (a space after "Mais" ), a shift the citizen set stays for its letter."""
        if not self.auto_capital:
            return
        if at_sentence_start(self.text):
            if not self.shift:
                self.shift, self._auto_shifted = True, True
        elif self._auto_shifted:
            self.shift, self._auto_shifted = False, False

    def _cased(self, chars: str) -> str:
        # "œ".upper() is "Œ", "ÿ".upper() is "Ÿ": one character each, safe to map.
        return chars.upper() if self.shift and not self.digits else chars
