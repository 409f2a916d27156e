"""What the browser tells a page for each key of the kiosk's keyboard (sites/typing.py)."""

from __future__ import annotations

import json
import re

import pytest

from appliance.sites.typing import ENTER, FOCUS_SCRIPT, MESSAGE_HANDLER, key_script
from appliance.ui.keyboard import BACKSPACE, SPACE


@pytest.mark.parametrize("key", ["a", "É", "œ", "'", '"', "\\", "</script>", "€"])
def test_a_character_is_inserted_as_text_whatever_it_is(key):
    script = key_script(key)
    inserted = re.fullmatch(r'document\.execCommand\("insertText", false, (.*)\);', script)
    assert inserted and json.loads(inserted[1]) == key


def test_space_backspace_and_enter():
    assert json.loads(re.search(r"false, (.*)\);", key_script(SPACE))[1]) == " "
    assert key_script(BACKSPACE) == 'document.execCommand("delete", false);'
    assert "requestSubmit" in key_script(ENTER) and "insertLineBreak" in key_script(ENTER)


def test_the_focus_script_talks_to_the_browsers_handler():
    assert f"window.webkit.messageHandlers.{MESSAGE_HANDLER}.postMessage" in FOCUS_SCRIPT
    assert '"password"' in FOCUS_SCRIPT and '"checkbox"' not in FOCUS_SCRIPT
