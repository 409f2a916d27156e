"""What the citizen sees when the kiosk cannot serve: out-of-service problems and warnings.

A `Problem` (code + bilingual sentence) is what `KioskApp.set_out_of_service` takes; the
code is short so a technician can read it off the screen and look it up. Warnings are a
tuple of `Said`, one per hardware-check result, joined only where the banner draws them.
`shown_problem` is the one place that decides which problem wins.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from appliance.config import ConfigError
from appliance.hwcheck.report import read_report
from appliance.said import Problem, Said


def config_problem(error: ConfigError) -> Problem:
    # The installer reads the key, the line and what is wrong off the screen in French.
    return Problem(
        "E-CFG",
        Said(
            f"The totem.toml file has a mistake — {error.located('en')}",
            f"Le fichier totem.toml contient une erreur — {error.located('fr')}",
        ),
    )


def outbox_problem(error: Exception) -> Problem:
    return Problem(
        "E-OUTBOX",
        Said(
            f"Submissions cannot be stored — {error}",
            f"Les contributions ne peuvent pas être enregistrées — {error}",
        ),
    )


def touch_reader_problem(source: Any) -> Problem | None:
    """The live panel's reader stopped (it keeps restarting): out of service until it reads.
    A replayed recording is not a panel: its errors end `totem run` instead."""
    if source is None or not getattr(source, "restartable", False) or not source.error:
        return None
    return Problem(
        "E-TOUCH",
        Said(
            f"Reading the touch panel stopped — {source.error}",
            f"La lecture de la dalle tactile s'est arrêtée — {source.error}",
        ),
    )


def hardware_state(data_dir: str | Path) -> tuple[Problem | None, tuple[Said, ...]]:
    """(problem, warnings) from the last hardware-check report; (None, ()) when none."""
    report = read_report(data_dir)
    if report is None:
        return None, ()
    problem = None
    if report.critical_failures:
        first = report.critical_failures[0]
        problem = Problem(first.code or "E-HW", first.said)
    return problem, tuple(_with_code(result) for result in report.warnings)


def shown_problem(*candidates: Problem | None) -> Problem | None:
    """The problem the screen shows: the first present, in the order given (the
    configuration, then the outbox, the touch reader, the hardware check)."""
    return next((problem for problem in candidates if problem is not None), None)


def _with_code(result: Any) -> Said:
    if not result.code:
        return result.said
    return Said(*(f"{text} ({result.code})" for text in result.said))
