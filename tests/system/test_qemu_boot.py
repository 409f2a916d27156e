"""The very image an installer flashes boots in QEMU into the kiosk and answers a touch.

One boot serves every test of this module (it takes minutes under TCG): virtio-gpu of the
kiosk's size, a USB tablet as the touch panel, user networking with restrict=on, QMP for
screendumps and taps, the serial console logged to build/qemu/serial.log.
"""

from __future__ import annotations

import time

import pytest
import qemu
from guests import (
    BOOT_TIMEOUT,
    BUILD,
    SCREEN_TIMEOUT,
    assert_data_stays_mounted,
    boot_marks,
    booted,
)
from pictures import changed, colours, region, samples, wait_picture

from appliance.hwcheck.runner import CHECKS

pytestmark = boot_marks(screens=4)


@pytest.fixture(scope="module")
def guest(built_image):
    with booted(built_image, "qemu") as machine:
        yield machine


@pytest.fixture(scope="module")
def ready(guest) -> dict:
    report = guest.wait_report(lambda r: r.get("event") == "ui-ready", BOOT_TIMEOUT, "UI ready")
    seconds = report["ready_monotonic_us"] / 1e6
    wall = time.monotonic() - guest.started_at
    print(f"\nemulated time from kernel start to UI ready: {seconds:.1f} s (host: {wall:.0f} s)")
    return report


def test_ui_reports_ready(ready):
    assert ready["ready_monotonic_us"] > 0


def test_the_update_path_is_in_place(ready):
    # The tryboot module is loaded (on a Pi it passes `reboot "0 tryboot"` to the firmware),
    # and `rauc status` through the custom backend: slot A booted and primary.
    assert ready["tryboot_module"]
    assert ready["rauc"].get("booted") == "A", ready["rauc"]
    assert ready["rauc"].get("compatible") == "totem-rpi4-arm64"
    assert ready["rauc"].get("boot_primary") == "rootfs.0", ready["rauc"]


def test_root_is_read_only(ready):
    assert "ro" in ready["root_options"]


def test_no_login_prompt_on_the_ui_console(ready):
    assert not any("tty1" in unit for unit in ready["active_gettys"])


def test_data_partition_was_grown_to_the_card(ready):
    # The image's data partition is 128 MiB; the emulated card is 4 GiB: data ends at its end
    # (less the backup GPT and alignment), and the filesystem followed the partition.
    end = ready["data_start_bytes"] + ready["data_partition_bytes"]
    assert ready["disk_bytes"] - end < 2 * 1024 * 1024
    assert ready["data_partition_bytes"] > 512 * 1024 * 1024
    assert ready["data_fs_bytes"] > 0.9 * ready["data_partition_bytes"]


def test_the_data_partition_stays_mounted_where_the_ui_writes(ready):
    assert_data_stays_mounted(ready)


def test_no_totem_unit_failed(ready):
    assert not [unit for unit in ready["failed_units"] if unit.startswith("totem")]


def test_first_boot_named_the_kiosk_and_made_its_key(ready):
    assert ready["config_mounted"], "TOTEMCFG was not mounted at /run/totem/cfg"
    assert ready["hostname"] == "totem-demo"  # kiosk_id default of the shipped totem.toml
    assert ready["device_key"]


@pytest.fixture(scope="module")
def screens(ready, guest) -> dict:
    """Wake the kiosk, dump the home screen, tap the ideas tile, dump the ideas screen."""
    guest.wait_report(lambda r: r.get("event") == "a11y", SCREEN_TIMEOUT, "a11y tree")
    tree = guest.latest_tree()
    shots = {"first": guest.screendump(BUILD / "qemu-first-screen.png")}
    if tree["screen"] == "attract":  # idle screen: any touch wakes the kiosk
        guest.tap(*qemu.centre({"rect": [0, 0, *guest.size]}))
        tree = guest.wait_screen("home", SCREEN_TIMEOUT)
    result = {"home_tree": tree, "shots": shots}
    if tree["screen"] != "home":
        return result
    # The tree is written when the frame is drawn; the scanout follows within a frame or
    # two, longer under TCG: dump until the picture is drawn (or give the last one to judge).
    home = wait_picture(guest, BUILD / "qemu-home.png", lambda p: len(colours(p)) >= 16)
    shots["home"] = home
    # The ideas tile's position comes from the UI's accessibility tree, as a person would find it.
    guest.tap(*qemu.centre(qemu.widget(tree, "tile-ideas")))
    result["ideas_tree"] = guest.wait_screen("ideas", SCREEN_TIMEOUT)
    before = samples(home)
    shots["ideas"] = wait_picture(
        guest, BUILD / "qemu-ideas.png", lambda p: changed(before, samples(p)) > 0.02
    )
    return result


def test_a_tap_on_the_ideas_tile_opens_the_ideas_screen(screens):
    assert screens["home_tree"]["screen"] == "home"
    assert screens["ideas_tree"]["screen"] == "ideas"


def test_screendumps_show_the_home_and_ideas_screens(screens):
    home, ideas = screens["shots"]["home"], screens["shots"]["ideas"]
    # A blank scanout has one colour; drawn text and tiles have dozens (anti-aliasing).
    assert len(colours(home)) >= 16, f"{home} is blank: the kiosk's frames never reached it"
    # The ideas tile and the title are drawn where the accessibility tree says they are.
    for widget_id in ("tile-ideas", "title"):
        rect = qemu.widget(screens["home_tree"], widget_id)["rect"]
        assert len(region(home, rect)) >= 4, f"nothing drawn in {widget_id} {rect} of {home}"
    assert changed(samples(home), samples(ideas)) > 0.02, f"{ideas} still shows the home screen"
    title = qemu.widget(screens["ideas_tree"], "title")["rect"]
    assert len(region(ideas, title)) >= 4


@pytest.fixture(scope="module")
def hwcheck(ready, guest) -> dict:
    """The report totem-hwcheck.service wrote at boot, as the UI and the hub read it."""
    report = guest.wait_report(lambda r: r.get("event") == "hwcheck", SCREEN_TIMEOUT, "hwcheck")
    assert "error" not in report["report"], report["report"]
    return {result["name"]: result for result in report["report"]["results"]}


def test_hwcheck_takes_the_usb_tablet_for_the_touch_panel(hwcheck):
    touch = hwcheck["touch"]
    assert touch["status"] == "ok", touch
    assert "QEMU" in touch["details"]["name"] and "Tablet" in touch["details"]["name"]


def test_hwcheck_sees_the_virtio_gpu_display_connected(hwcheck):
    display = hwcheck["display"]
    assert display["status"] == "ok", display
    assert display["details"]["connector"].endswith("Virtual-1")
    assert display["details"]["configured_size"] == "1080x1920"


def test_hwcheck_sees_the_read_only_root_and_the_grown_data(hwcheck):
    assert hwcheck["storage.root"]["status"] == "ok", hwcheck["storage.root"]
    assert hwcheck["storage.data"]["status"] == "ok", hwcheck["storage.data"]
    assert hwcheck["storage.errors"]["status"] == "ok", hwcheck["storage.errors"]


def test_hwcheck_reports_what_the_emulated_totem_lacks(hwcheck):
    # The virt machine has no watchdog device and no network beyond QEMU's (restrict=on):
    # these are warnings a technician reads, never a crash or a skipped check.
    assert hwcheck["watchdog"]["status"] == "warn"
    assert hwcheck["network.hub"]["status"] in ("warn", "fail")
    # every check ran and answered in both languages, even those with nothing to measure here
    assert set(hwcheck) == {name for name, _ in CHECKS}
    assert all(r["message"]["fr"] and r["message"]["en"] for r in hwcheck.values())
