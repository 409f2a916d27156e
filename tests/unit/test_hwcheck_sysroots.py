"""Every check over recorded machines: the statuses a technician would expect on each."""

import shutil
from pathlib import Path

import pytest

from appliance.config import load_config
from appliance.hwcheck.context import CheckContext
from appliance.hwcheck.runner import CHECKS, run_checks
from appliance.hwcheck.sysroot import Sysroot

SYSROOTS = Path(__file__).resolve().parent.parent / "fixtures" / "sysroots"


def statuses(tree: Path) -> dict[str, tuple[str, str | None]]:
    ctx = CheckContext(sysroot=Sysroot(tree), config=load_config(None))
    return {r.name: (r.status, r.code) for r in run_checks(ctx)}


def test_a_healthy_pi_has_nothing_to_report():
    found = statuses(SYSROOTS / "pi4-healthy")
    assert list(found) == [name for name, _ in CHECKS]
    assert {name for name, (status, _) in found.items() if status not in ("ok", "skip")} == set()
    for name in (
        "touch",
        "display",
        "temperature",
        "throttling",
        "storage.root",
        "storage.data",
        "storage.errors",
        "memory",
        "clock",
        "network.link",
        "network.policy",
        "watchdog",
    ):
        assert found[name] == ("ok", None), name
    # no live probes of the network on a recording; SD cards do not report wear
    assert found["network.dns"][0] == found["network.hub"][0] == "skip"
    assert found["storage.wear"][0] == "skip"


def test_an_overheating_pi_reports_heat_and_throttling_but_stays_in_service():
    ctx = CheckContext(sysroot=Sysroot(SYSROOTS / "pi4-throttled"), config=load_config(None))
    results = {r.name: r for r in run_checks(ctx)}
    assert (results["temperature"].status, results["temperature"].code) == ("fail", "E-TEMP")
    throttling = results["throttling"]
    assert (throttling.status, throttling.code) == ("warn", "W-THROTTLED")
    assert throttling.details["now"] == ["frequency_capped", "soft_temperature_limit", "throttled"]
    assert throttling.details["since_boot"] == throttling.details["now"]
    assert not any(r.critical for r in results.values())
    assert results["touch"].status == "ok"


def test_a_failing_worn_card_is_out_of_service_with_the_data_partition_read_only():
    found = statuses(SYSROOTS / "cm4-worn-emmc")
    assert found["storage.data"] == ("fail", "E-DATA-RO")
    assert found["storage.errors"] == ("fail", "E-IO")
    assert found["storage.wear"] == ("fail", "E-WEAR")
    assert found["storage.root"] == ("ok", None)
    assert found["touch"] == ("ok", None)


def test_a_totem_without_its_panel_is_out_of_service():
    ctx = CheckContext(sysroot=Sysroot(SYSROOTS / "pi4-no-touch"), config=load_config(None))
    results = {r.name: r for r in run_checks(ctx)}
    touch = results["touch"]
    assert (touch.status, touch.code, touch.critical) == ("fail", "E-TOUCH", True)
    # the HDMI CEC inputs were looked at and turned down, with the reason
    assert set(touch.details["rejected"]) == {"event0 (vc4-hdmi-0)", "event1 (vc4-hdmi-1)"}
    assert [r.name for r in results.values() if r.critical] == ["touch"]


def test_under_qemu_the_usb_tablet_is_the_panel_and_virtio_gpu_the_screen():
    ctx = CheckContext(sysroot=Sysroot(SYSROOTS / "qemu-virt"), config=load_config(None))
    results = {r.name: r for r in run_checks(ctx)}
    touch, display = results["touch"], results["display"]
    assert (touch.status, touch.details["name"]) == ("ok", "QEMU QEMU USB Tablet")
    assert touch.details["ranges"] == {"ABS_X": [0, 32767], "ABS_Y": [0, 32767]}
    assert (display.status, display.details["connector"]) == ("ok", "card0-Virtual-1")
    # a virtual machine has no watchdog and, offline, no NTP: worth a line, not a stop
    assert results["watchdog"].code == "W-WATCHDOG"
    assert results["clock"].code == "W-CLOCK"
    assert not any(r.critical for r in results.values())


def test_without_vcgencmd_the_kernel_sensor_still_tells_under_voltage(tmp_path):
    tree = tmp_path / "pi"
    shutil.copytree(SYSROOTS / "pi4-healthy", tree)
    shutil.rmtree(tree / "vcgencmd")
    (tree / "sys/class/hwmon/hwmon1/in0_lcrit_alarm").write_text("1\n")
    ctx = CheckContext(sysroot=Sysroot(tree), config=load_config(None))
    (result,) = run_checks(ctx, only=["throttling"])
    assert (result.status, result.code) == ("warn", "W-POWER")
    assert result.details["source"] == "hwmon"
    shutil.rmtree(tree / "sys/class/hwmon")
    assert run_checks(ctx, only=["throttling"])[0].status == "skip"


def test_an_empty_tree_makes_every_check_skip_or_fail_without_raising(tmp_path):
    ctx = CheckContext(sysroot=Sysroot(tmp_path), config=None)
    results = run_checks(ctx)
    assert [r.name for r in results] == [name for name, _ in CHECKS]
    assert all(r.status in ("skip", "fail", "warn") for r in results)
    assert not any("could not run" in r.message_en for r in results)


@pytest.mark.parametrize("tree", sorted(p.name for p in SYSROOTS.iterdir()))
def test_no_check_crashes_on_a_recorded_tree(tree):
    ctx = CheckContext(sysroot=Sysroot(SYSROOTS / tree), config=load_config(None))
    for result in run_checks(ctx):
        assert "could not run" not in result.message_en, result
        assert result.message_fr and result.message_en
