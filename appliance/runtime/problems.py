"""What the citizen sees when the kiosk cannot serve: out-of-service problems and warnings.

A problem is `{"code": "E-…", "message": {"fr": …, "en": …}}` (what
`KioskApp.set_out_of_service` takes). The code is short so a technician can read it off
the screen and look it up; the sentence says what is wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from appliance.config import ConfigError
from appliance.hwcheck.report import read_report
from appliance.ui.chrome import WARNING_SEPARATOR


def config_problem(error: ConfigError) -> dict[str, Any]:
    # The installer reads the key, the line and what is wrong off the screen in French.
    return {
        "code": "E-CFG",
        "message": {
            "fr": f"Le fichier totem.toml contient une erreur — {error.located('fr')}",
            "en": f"The totem.toml file has a mistake — {error.located('en')}",
        },
    }


def outbox_problem(error: Exception) -> dict[str, Any]:
    return {
        "code": "E-OUTBOX",
        "message": {
            "fr": f"Les contributions ne peuvent pas être enregistrées — {error}",
            "en": f"Submissions cannot be stored — {error}",
        },
    }


def touch_reader_problem(source: Any) -> dict[str, Any] | None:
    """The live panel's reader stopped (it keeps restarting): out of service until it reads.
    A replayed recording is not a panel: its errors end `totem run` instead."""
    if source is None or not getattr(source, "restartable", False) or not source.error:
        return None
    return {
        "code": "E-TOUCH",
        "message": {
            "fr": f"La lecture de la dalle tactile s'est arrêtée — {source.error}",
            "en": f"Reading the touch panel stopped — {source.error}",
        },
    }


def hardware_state(data_dir: str | Path) -> tuple[dict | None, dict | None]:
    """(problem, warning) from the last hardware-check report; (None, None) when none."""
    report = read_report(data_dir)
    if report is None:
        return None, None
    problem = warning = None
    if report.critical_failures:
        first = report.critical_failures[0]
        message = {"fr": first.message_fr, "en": first.message_en}
        problem = {"code": first.code or "E-HW", "message": message}
    if report.warnings:
        warning = _joined([_message(result) for result in report.warnings])
    return problem, warning


def _message(result: Any) -> dict[str, str]:
    texts = {"fr": result.message_fr, "en": result.message_en}
    if result.code:
        texts = {lang: f"{text} ({result.code})" for lang, text in texts.items()}
    return texts


def _joined(messages: list[dict[str, str]]) -> dict[str, str]:
    return {
        lang: WARNING_SEPARATOR.join(message[lang] for message in messages) for lang in ("fr", "en")
    }
