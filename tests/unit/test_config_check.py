"""`totem config check`, as an installer runs it on a PC: every mistake in one run, with its
key and line; languages the totem cannot speak and a hub reached in clear are refused; what
is left unset is a warning saying the totem then runs on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.cli import main
from appliance.config import ConfigError, parse_config, review_config

MISTAKES = """\
[site]
kiosk_id = "Hall 01"
languages = ["fr", "de"]

[display]
rotation = 45

[hub]
url = "http://hub.saint-exemple.fr"
enrollment_token = "token"
"""


def check(tmp_path: Path, text: str, *extra: str, capsys) -> tuple[int, list[str], list[str]]:
    path = tmp_path / "totem.toml"
    path.write_text(text, encoding="utf-8")
    code = main(["config", "check", str(path), *extra])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def test_every_mistake_of_the_file_is_said_in_one_run_in_the_order_of_the_file(tmp_path, capsys):
    code, _, err = check(tmp_path, MISTAKES, capsys=capsys)
    assert code == 1
    assert [line.split(": ", 2)[2].split(" (")[0] for line in err] == [
        "site.kiosk_id",
        "site.languages",
        "display.rotation",
        "hub.url",
    ]
    assert "(line 9)" in err[3] and err[3].endswith("(4 mistakes)")
    assert not any("Traceback" in line for line in err)


def test_every_mistake_in_french_too(tmp_path, capsys):
    _, _, err = check(tmp_path, MISTAKES, "--lang", "fr", capsys=capsys)
    assert "display.rotation (ligne 6) : doit valoir 0, 90, 180 ou 270" in err[2]
    assert err[3].endswith("(4 erreurs)")


def test_the_kiosk_still_stops_at_the_first_mistake():
    with pytest.raises(ConfigError) as error:
        parse_config(MISTAKES)
    assert error.value.key == "site.kiosk_id"
    assert len(review_config(MISTAKES)[1]) == 4


def test_a_language_without_the_kiosks_texts_is_refused():
    with pytest.raises(ConfigError, match="languages the totem has texts for") as error:
        parse_config('[site]\nlanguages = ["fr", "de"]\n')
    assert "'de'" in str(error.value)
    assert parse_config('[site]\nlanguages = ["en", "fr"]\n').languages == ("en", "fr")


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("http://hub.saint-exemple.fr", True),
        ("http://192.0.2.10:8750", True),
        ("https://hub.saint-exemple.fr", False),
        ("http://127.0.0.1:8750", False),
        ("http://localhost:8750", False),
        ("http://[::1]:8750", False),
    ],
)
def test_a_hub_in_plain_http_is_refused_unless_it_is_on_the_totem(url, refused):
    text = f'[hub]\nurl = "{url}"\n'
    if refused:
        with pytest.raises(ConfigError, match="must start with https://"):
            parse_config(text)
    else:
        assert parse_config(text).hub["url"] == url


def test_unset_identity_and_hub_are_warnings_saying_the_totem_runs_standalone(tmp_path, capsys):
    code, out, err = check(tmp_path, "[display]\nrotation = 90\n", capsys=capsys)
    assert code == 0 and err == []
    warnings = [line for line in out if "warning:" in line]
    assert [line.split("warning: ")[1].split(":")[0] for line in warnings] == [
        "site.kiosk_id",
        "hub.url",
        "hub.enrollment_token",
    ]
    assert "runs standalone" in warnings[1]
    assert out[-1].endswith("OK (totem-demo, 1080x1920, hub 127.0.0.1)")


def test_a_complete_file_has_no_warning(tmp_path, capsys):
    text = (
        '[site]\nkiosk_id = "hall-01"\n[hub]\nurl = "https://hub.saint-exemple.fr"\n'
        'enrollment_token = "token"\n'
    )
    code, out, _ = check(tmp_path, text, capsys=capsys)
    assert code == 0 and not any("warning" in line for line in out)
