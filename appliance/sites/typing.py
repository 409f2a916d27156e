"""Typing into a site's form from the kiosk's own keyboard: what the page is told.

The browser (sites/browser.py) shows the kiosk's AZERTY keyboard (ui/keyboard.py's state,
drawn in GTK by sites/keys.py) while a text field of the page has the focus. The page
says when that is through FOCUS_SCRIPT; each key becomes a line of script run in the page
(`key_script`), the way a person's typing edits the field: WebKit's own editing commands,
so the page's input events fire and its undo and selection behave as usual.
Pure: tested without a browser.
"""

from __future__ import annotations

import json

from appliance.ui.keyboard import BACKSPACE, SPACE

ENTER = "enter"
MESSAGE_HANDLER = "totem"  # window.webkit.messageHandlers.totem
TYPING, NOT_TYPING = "typing", "not-typing"

# Input types whose value is text the citizen types (the rest are buttons and pickers).
TEXT_INPUTS = ("text", "search", "email", "tel", "url", "password", "number", "")

# Injected into the top frame of every page: tells the browser whether the focus is now in
# something one types into. After a focusout the focus has not moved yet: look a turn later.
FOCUS_SCRIPT = f"""(() => {{
  const kinds = {json.dumps(list(TEXT_INPUTS))};
  const typing = (e) => !!e && (e.isContentEditable || e.tagName === "TEXTAREA" ||
      (e.tagName === "INPUT" && kinds.includes((e.getAttribute("type") || "").toLowerCase())));
  const tell = () => window.webkit.messageHandlers.{MESSAGE_HANDLER}.postMessage(
      typing(document.activeElement) ? "{TYPING}" : "{NOT_TYPING}");
  document.addEventListener("focusin", tell, true);
  document.addEventListener("focusout", () => setTimeout(tell, 0), true);
  if (document.readyState !== "loading") tell();
  else document.addEventListener("DOMContentLoaded", tell);
}})();"""

# Enter sends a one-line field's form (as a keyboard's Enter does) and starts a new line
# in a text area or an editable block.
_ENTER_SCRIPT = """(() => {
  const e = document.activeElement;
  if (e && e.tagName === "INPUT" && e.form) {
    if (e.form.requestSubmit) e.form.requestSubmit(); else e.form.submit();
  } else {
    document.execCommand("insertLineBreak");
  }
})();"""


def key_script(key: str) -> str:
    """The script that types `key` (a character, SPACE, BACKSPACE or ENTER) into the
    field that has the focus."""
    if key == BACKSPACE:
        return 'document.execCommand("delete", false);'
    if key == ENTER:
        return _ENTER_SCRIPT
    text = " " if key == SPACE else key
    return f'document.execCommand("insertText", false, {json.dumps(text)});'
