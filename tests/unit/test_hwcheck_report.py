"""hwcheck.json: what the UI and the heartbeat read from the last check."""

from datetime import UTC, datetime

from appliance.hwcheck.report import read_report, write_report
from appliance.hwcheck.result import CheckResult, fail, ok, skip, warn


def sample_results():
    return [
        fail(
            "touch",
            "E-TOUCH",
            "Aucune dalle tactile détectée.",
            "No touch panel found.",
            critical=True,
            rejected={"event0 (vc4-hdmi-0)": "it reports no absolute X/Y position"},
        ),
        warn("temperature", "W-TEMP", "Température élevée : 78 °C.", "High temperature: 78 °C."),
        fail("storage.errors", "E-IO", "2 erreurs.", "2 I/O errors.", count=2),
        ok("memory", "Mémoire : 3000 Mo libres.", "Memory: 3000 MB available."),
        skip("clock", "Inconnu.", "Unknown: no system D-Bus."),
    ]


def test_a_written_report_reads_back_identically(tmp_path):
    when = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
    path = write_report(tmp_path, sample_results(), checked_at=when)
    assert path == tmp_path / "hwcheck.json"
    report = read_report(tmp_path)
    assert report.checked_at == "2026-11-28T04:00:00Z"
    assert list(report.results) == sample_results()


def test_only_critical_failures_put_the_kiosk_out_of_service(tmp_path):
    write_report(tmp_path, sample_results())
    report = read_report(tmp_path)
    assert [r.code for r in report.critical_failures] == ["E-TOUCH"]
    assert [r.code for r in report.warnings] == ["W-TEMP", "E-IO"]


def test_the_report_is_json_with_both_languages(tmp_path):
    import json

    write_report(tmp_path, sample_results())
    data = json.loads((tmp_path / "hwcheck.json").read_text(encoding="utf-8"))
    first = data["results"][0]
    assert first == {
        "name": "touch",
        "status": "fail",
        "critical": True,
        "code": "E-TOUCH",
        "message": {"fr": "Aucune dalle tactile détectée.", "en": "No touch panel found."},
        "details": {"rejected": {"event0 (vc4-hdmi-0)": "it reports no absolute X/Y position"}},
    }


def test_rewriting_leaves_no_temporary_file_behind(tmp_path):
    write_report(tmp_path, sample_results())
    write_report(tmp_path, sample_results()[3:])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hwcheck.json"]
    assert read_report(tmp_path).critical_failures == []


def test_no_report_yet_or_a_damaged_one_reads_as_none(tmp_path):
    assert read_report(tmp_path) is None
    (tmp_path / "hwcheck.json").write_text('{"checked_at": "x", "resu', encoding="utf-8")
    assert read_report(tmp_path) is None
    (tmp_path / "hwcheck.json").write_text('{"checked_at": "x", "results": [{"name": "a"}]}')
    assert read_report(tmp_path) is None


def test_results_round_trip_through_json():
    for result in sample_results():
        assert CheckResult.from_json(result.as_json()) == result


def test_a_report_from_a_previous_boot_is_not_read_back(tmp_path):
    write_report(tmp_path, sample_results(), boot_id="b0a7-last-week")
    assert read_report(tmp_path, boot_id="b0a7-last-week").critical_failures
    assert read_report(tmp_path, boot_id="today-0001") is None


def test_the_report_carries_this_boots_id(tmp_path):
    import json
    from pathlib import Path

    boot_id = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    write_report(tmp_path, sample_results())
    assert json.loads((tmp_path / "hwcheck.json").read_text())["boot_id"] == boot_id
    assert read_report(tmp_path) is not None


def test_a_data_partition_refusing_the_report_still_gets_it_seen(tmp_path):
    (tmp_path / "not-a-directory").write_text("")
    data_dir = tmp_path / "not-a-directory" / "data"  # every write there fails
    fallback = tmp_path / "run"
    path = write_report(data_dir, sample_results(), fallback_dir=fallback)
    assert path == fallback / "hwcheck.json"
    report = read_report(data_dir, fallback_dir=fallback)
    assert [r.code for r in report.critical_failures] == ["E-TOUCH"]


def test_once_the_data_partition_takes_the_report_again_the_fallback_goes(tmp_path):
    fallback = tmp_path / "run"
    (tmp_path / "blocked").write_text("")
    write_report(tmp_path / "blocked" / "data", sample_results(), fallback_dir=fallback)
    write_report(tmp_path / "data", sample_results()[3:], fallback_dir=fallback)
    assert not (fallback / "hwcheck.json").exists()
    assert read_report(tmp_path / "data", fallback_dir=fallback).critical_failures == []
