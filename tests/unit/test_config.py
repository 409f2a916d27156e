"""totem.toml: every mistake an installer can make gives one sentence naming the key and line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from appliance.config import DEFAULT_CONFIG, ConfigError, load_config, parse_config
from appliance.config.schema import SCHEMA

GOOD = """\
[site]
name = "Mairie de Saint-Exemple"
kiosk_id = "hall-01"
languages = ["fr", "en"]

[display]
size = "1080x1920"
rotation = 90
diagonal_inches = 43

[touch]
matrix = [1, 0, 0, 0, 1, 0]

[hub]
url = "https://participation.example.fr"
enrollment_token = "one-time-token"

[network]
allow = ["www.service-public.fr", "*.saint-exemple.fr"]
dns = ["192.0.2.53"]
ntp = ["ntp.example.fr"]

[session]
idle_seconds = 60
countdown_seconds = 20
"""


def with_line(key_line: str, replacement: str) -> str:
    assert key_line in GOOD
    return GOOD.replace(key_line, replacement)


def test_a_complete_file_is_read_with_its_values():
    config = parse_config(GOOD)
    assert config.screen_size == (1080, 1920)
    assert config.display["rotation"] == 90
    assert config.languages == ("fr", "en")
    assert config.hub_host == "participation.example.fr"
    assert config.network["allow"] == ("www.service-public.fr", "*.saint-exemple.fr")


def test_missing_sections_take_their_defaults():
    config = parse_config('[site]\nkiosk_id = "hall-02"\n')
    assert config.site["kiosk_id"] == "hall-02"
    assert config.session["idle_seconds"] == 60
    assert config.screen_size == (1080, 1920)


def test_the_embedded_default_is_valid():
    assert load_config(DEFAULT_CONFIG).site["kiosk_id"] == "totem-demo"


@pytest.mark.parametrize(
    ("text", "key", "line", "words"),
    [
        (with_line("rotation = 90", "rotation = 45"), "display.rotation", 8, "0, 90, 180 or 270"),
        (with_line('size = "1080x1920"', 'size = "abc"'), "display.size", 7, "1080x1920"),
        (with_line("matrix = [1, 0, 0, 0, 1, 0]", "matrix = [1, 0, 0]"), "touch.matrix", 12, "6"),
        (with_line("allow = [", "allow = 3 #["), "network.allow", 19, "list"),
        (with_line("idle_seconds = 60", "idle_seconds = 0"), "session.idle_seconds", 24, "greater"),
        (
            with_line("idle_seconds = 60", 'idle_seconds = "60"'),
            "session.idle_seconds",
            24,
            "whole",
        ),
        (with_line('dns = ["192.0.2.53"]', 'dns = ["resolver"]'), "network.dns", 20, "IP"),
        (
            with_line("diagonal_inches = 43", "diagonal_inches = true"),
            "display.diagonal_inches",
            9,
            "number",
        ),
        (with_line('kiosk_id = "hall-01"', 'kiosk_id = "Hall 01"'), "site.kiosk_id", 3, "hostname"),
        (with_line('languages = ["fr", "en"]', 'languages = ["xx"]'), "site.languages", 4, "fr"),
        (
            with_line("rotation = 90", "rotation = 90\nrotaton = 90"),
            "display.rotaton",
            9,
            "unknown",
        ),
        (GOOD + "\n[colours]\nred = 1\n", "colours", 27, "unknown section"),
        (GOOD + '\n[update]\nwindow = "3h-5h"\n', "update.window", 28, "03:00-05:00"),
        (GOOD + '\n[update]\nwindow = "04:00-04:00"\n', "update.window", 28, "time window"),
    ],
)
def test_a_wrong_value_names_its_key_and_line(text, key, line, words):
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    assert caught.value.key == key
    assert caught.value.line == line
    assert words in str(caught.value)
    # The same mistake in French for the totem's screen: no English words left in it.
    french = caught.value.located("fr")
    assert french.startswith(f"{key} (ligne {line}) : ")
    assert not {"must", "unknown", "found", "line"} & set(re.findall(r"[a-z]+", french))


def test_invalid_toml_gives_the_line():
    with pytest.raises(ConfigError) as caught:
        parse_config(GOOD.replace('name = "Mairie de Saint-Exemple"', "name = Mairie"))
    assert caught.value.line == 2
    assert "TOML" in str(caught.value)


def test_a_missing_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "totem.toml")


def test_every_schema_key_has_a_default_that_passes_its_own_check():
    for section, keys in SCHEMA.items():
        for name, key in keys.items():
            if key.check is not None:
                assert key.check(key.default) is None, f"{section}.{name}"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "appliance", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    "text",
    [
        "[display]\nrotation = 45\n",
        "this is not toml",
        '[display]\nsize = "abc"\n',
        '[network]\nallow = "www.example.fr"\n',
        "[touch]\nmatrix = [1, 2, 3]\n",
        "[unknown]\n",
    ],
)
def test_config_check_exits_1_with_one_line_and_no_traceback(tmp_path: Path, text: str):
    path = tmp_path / "totem.toml"
    path.write_text(text)
    result = run_cli("config", "check", str(path))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr


def test_config_check_accepts_a_good_file(tmp_path: Path):
    path = tmp_path / "totem.toml"
    path.write_text(GOOD)
    result = run_cli("config", "check", str(path))
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def test_config_check_on_a_missing_file(tmp_path: Path):
    result = run_cli("config", "check", str(tmp_path / "absent.toml"))
    assert result.returncode == 1
    assert "not found" in result.stderr


def test_config_check_speaks_french_to_an_installer_who_asks(tmp_path: Path):
    path = tmp_path / "totem.toml"
    path.write_text("[display]\nrotation = 45\n")
    result = run_cli("config", "check", "--lang", "fr", str(path))
    assert result.returncode == 1
    assert "display.rotation (ligne 2) : doit valoir 0, 90, 180 ou 270" in result.stderr
