"""What the kiosk shows when its configuration or hardware is not fit to serve."""

from __future__ import annotations

from appliance.config import ConfigError, parse_config
from appliance.hwcheck.report import write_report
from appliance.hwcheck.result import fail, ok, warn
from appliance.runtime.problems import config_problem, hardware_state
from appliance.said import Problem, Said
from appliance.ui.chrome import WARNING_SEPARATOR


def test_a_broken_totem_toml_names_the_key_and_line_on_screen():
    try:
        parse_config("[display]\nrotation = 45\n")
    except ConfigError as error:
        problem = config_problem(error)
    assert problem.code == "E-CFG"
    assert "display.rotation (ligne 2) : doit valoir 0, 90, 180 ou 270" in problem.message.fr
    assert "display.rotation (line 2): must be 0, 90, 180 or 270" in problem.message.en


def test_no_report_yet_means_nothing_to_show(tmp_path):
    assert hardware_state(tmp_path) == (None, ())


def test_a_critical_failure_puts_the_kiosk_out_of_service(tmp_path):
    write_report(
        tmp_path,
        [
            ok("display", "Écran connecté", "Display connected"),
            fail("touch", "E-TOUCH", "Pas de dalle tactile", "No touch panel", critical=True),
        ],
    )
    problem, warning = hardware_state(tmp_path)
    assert problem == Problem("E-TOUCH", Said(fr="Pas de dalle tactile", en="No touch panel"))
    assert warning == ()


def test_warnings_become_one_discreet_banner(tmp_path):
    write_report(
        tmp_path,
        [
            warn("thermal", "W-TEMP", "Température élevée", "High temperature"),
            warn("clock", "W-CLOCK", "Horloge non synchronisée", "Clock not synchronised"),
        ],
    )
    problem, warnings = hardware_state(tmp_path)
    assert problem is None
    banner = WARNING_SEPARATOR.join(warning.fr for warning in warnings)
    assert banner == "Température élevée (W-TEMP) · Horloge non synchronisée (W-CLOCK)"
    assert "High temperature" in warnings[0].en
