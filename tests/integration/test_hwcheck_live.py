"""`totem check` on this machine and on recorded trees, as a technician runs it."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from appliance.hwcheck.context import CheckContext
from appliance.hwcheck.outbox import check_outbox
from appliance.hwcheck.report import read_report
from appliance.hwcheck.runner import CHECKS
from appliance.hwcheck.sysroot import Sysroot
from appliance.store import Outbox

REPO = Path(__file__).resolve().parent.parent.parent
SYSROOTS = REPO / "tests" / "fixtures" / "sysroots"
TOTEM = [sys.executable, "-m", "appliance"]
NAMES = [name for name, _ in CHECKS]


def totem_check(*args: str) -> tuple[int, list[dict], str]:
    done = subprocess.run(
        [*TOTEM, "check", "--json", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    return done.returncode, lines, done.stderr


def test_every_check_runs_on_this_machine_without_a_traceback(tmp_path):
    status, lines, stderr = totem_check("--data-dir", str(tmp_path), "--write")
    assert "Traceback" not in stderr
    assert status in (0, 1)
    assert [line["name"] for line in lines] == NAMES
    for line in lines:
        assert line["status"] in ("ok", "warn", "fail", "skip")
        assert set(line) == {"name", "status", "critical", "code", "message", "details"}
        assert line["message"]["fr"] and line["message"]["en"]
        assert "could not run" not in line["message"]["en"], line
    by_name = {line["name"]: line for line in lines}
    # a build machine has no panel and usually no screen
    assert by_name["touch"]["status"] in ("fail", "skip")
    assert by_name["display"]["status"] in ("ok", "warn", "fail", "skip")
    assert status == (1 if any(line["status"] == "fail" for line in lines) else 0)
    report = read_report(tmp_path)
    assert [r.name for r in report.results] == NAMES


@pytest.mark.parametrize(
    ("tree", "expected"),
    [
        ("pi4-healthy", {}),
        (
            "pi4-throttled",
            {"temperature": ("fail", "E-TEMP"), "throttling": ("warn", "W-THROTTLED")},
        ),
        (
            "cm4-worn-emmc",
            {
                "storage.data": ("fail", "E-DATA-RO"),
                "storage.errors": ("fail", "E-IO"),
                "storage.wear": ("fail", "E-WEAR"),
            },
        ),
        ("pi4-no-touch", {"touch": ("fail", "E-TOUCH")}),
        ("qemu-virt", {"clock": ("warn", "W-CLOCK"), "watchdog": ("warn", "W-WATCHDOG")}),
    ],
)
def test_recorded_trees_give_one_line_per_check_with_the_expected_statuses(tree, expected):
    status, lines, stderr = totem_check("--sysroot", str(SYSROOTS / tree))
    assert stderr == ""
    assert [line["name"] for line in lines] == NAMES
    found = {line["name"]: (line["status"], line["code"]) for line in lines}
    problems = {name: value for name, value in found.items() if value[0] in ("warn", "fail")}
    assert problems == expected
    assert status == (1 if any(s == "fail" for s, _ in expected.values()) else 0)


def test_the_text_output_is_one_readable_line_per_check():
    done = subprocess.run(
        [*TOTEM, "check", "--lang", "fr", "--sysroot", str(SYSROOTS / "pi4-no-touch")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    lines = done.stdout.splitlines()
    assert len(lines) == len(NAMES)
    assert lines[0].startswith("FAIL touch") and "[E-TOUCH]" in lines[0]
    assert "Aucune dalle tactile" in lines[0]


def test_usage_mistakes_are_one_clear_line(tmp_path):
    done = subprocess.run(
        [*TOTEM, "check", "--sysroot", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "no such directory" in done.stderr
    done = subprocess.run(
        [*TOTEM, "check", "--only", "flux-capacitor"], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 1 and "unknown check 'flux-capacitor'" in done.stderr


def test_the_outbox_check_reads_the_real_outbox_without_creating_one(tmp_path):
    ctx = CheckContext(sysroot=Sysroot("/"), data_dir=tmp_path)
    assert check_outbox(ctx).status == "skip"
    assert list(tmp_path.iterdir()) == []  # the check never creates the UI's files

    with Outbox(tmp_path) as outbox:
        submission = outbox.add(
            "idea", {"text": "Plus de bancs"}, kiosk_id="hall-01", content_version="demo"
        )
    created = datetime.fromisoformat(submission.created_at.replace("Z", "+00:00"))
    fresh = check_outbox(CheckContext(Sysroot("/"), tmp_path, now=created + timedelta(minutes=1)))
    assert (fresh.status, fresh.details["unsent"]) == ("ok", 1)
    late = check_outbox(CheckContext(Sysroot("/"), tmp_path, now=created + timedelta(hours=8)))
    assert (late.status, late.code) == ("warn", "W-SYNC")

    with Outbox(tmp_path) as outbox:
        outbox.mark_sent([submission.id])
    done = check_outbox(CheckContext(Sysroot("/"), tmp_path, now=datetime.now(UTC)))
    assert done.status == "ok" and done.details["unsent"] == 0
