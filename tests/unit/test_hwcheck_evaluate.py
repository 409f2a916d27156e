"""What each check concludes from what it read: the statuses and codes a technician expects."""

import dataclasses
from datetime import UTC, datetime, timedelta

from appliance.hwcheck.clock import evaluate_clock
from appliance.hwcheck.display import Connector, evaluate_display
from appliance.hwcheck.memory import evaluate_memory, parse_meminfo, parse_pressure
from appliance.hwcheck.network import (
    dns_query,
    evaluate_link,
    evaluate_policy,
    has_default_route,
    parse_fib_trie,
    parse_if_inet6,
    resolver_address,
)
from appliance.hwcheck.outbox import evaluate_outbox, parse_time
from appliance.hwcheck.storage import (
    Mount,
    Space,
    disk_of,
    evaluate_data,
    evaluate_io_errors,
    evaluate_root,
    evaluate_wear,
    io_error_lines,
    mount_of,
    parse_mounts,
)
from appliance.hwcheck.thermal import evaluate_temperatures
from appliance.hwcheck.touch import evaluate_touch
from appliance.hwcheck.watchdog import evaluate_watchdog, parse_timespan, runtime_watchdog_setting
from appliance.touch.description import AbsRange
from appliance.touch.devices import Candidate
from appliance.touch.evemu import read_description

GB = 1024**3
MOUNTS = """\
/dev/mmcblk0p5 / ext4 ro,relatime 0 0
tmpfs /run tmpfs rw,nosuid,nodev 0 0
/dev/mmcblk0p7 /var/lib/totem ext4 rw,noatime 0 0
/dev/sda1 /var/lib/totem-old ext4 ro 0 0
"""


# --- storage ---------------------------------------------------------------------------


def test_the_data_directory_is_found_on_its_own_partition_not_a_lookalike_prefix():
    mounts = parse_mounts(MOUNTS)
    assert mount_of(mounts, "/var/lib/totem").device == "/dev/mmcblk0p7"
    assert mount_of(mounts, "/var/lib/totem/outbox.sqlite3").device == "/dev/mmcblk0p7"
    assert mount_of(mounts, "/var/lib/totemic").device == "/dev/mmcblk0p5"


def test_a_read_only_root_is_how_the_image_is_meant_to_run():
    mounts = parse_mounts(MOUNTS)
    assert evaluate_root(mount_of(mounts, "/")).status == "ok"
    writable = Mount("/dev/vda", "/", "ext4", frozenset({"rw"}))
    assert (evaluate_root(writable).status, evaluate_root(writable).code) == ("warn", "W-ROOT-RW")


def test_a_read_only_data_partition_puts_the_kiosk_out_of_service():
    mount = Mount("/dev/mmcblk0p7", "/var/lib/totem", "ext4", frozenset({"ro"}))
    result = evaluate_data(mount, Space(25 * GB, 20 * GB, 1000, 900), "/var/lib/totem")
    assert (result.status, result.code, result.critical) == ("fail", "E-DATA-RO", True)


def test_a_full_data_partition_puts_the_kiosk_out_of_service():
    mount = Mount("/dev/mmcblk0p7", "/var/lib/totem", "ext4", frozenset({"rw"}))
    result = evaluate_data(mount, Space(25 * GB, 5 * 1024 * 1024, 1000, 900), "/var/lib/totem")
    assert (result.status, result.code, result.critical) == ("fail", "E-DATA-FULL", True)
    assert "5 MB free" in result.message_en


def test_running_out_of_inodes_is_as_full_as_running_out_of_bytes():
    result = evaluate_data(None, Space(25 * GB, 20 * GB, 100000, 10), "/var/lib/totem")
    assert (result.code, result.critical) == ("E-DATA-FULL", True)


def test_little_room_left_is_a_warning_only():
    result = evaluate_data(None, Space(25 * GB, 2 * GB, 100000, 90000), "/var/lib/totem")
    assert (result.status, result.code, result.critical) == ("warn", "W-DATA-LOW", False)
    assert evaluate_data(None, Space(25 * GB, 20 * GB, 100, 90), "/d").status == "ok"


def test_kernel_io_errors_are_counted_and_quoted():
    log = "\n".join(
        [
            "[    1.6] mmc0: new ultra high speed DDR50 SDXC card at address aaaa",
            "[81234.5] I/O error, dev mmcblk0, sector 31457408 op 0x1:(WRITE)",
            "[81234.6] Buffer I/O error on dev mmcblk0p7, logical block 3932176",
            "[81235.0] EXT4-fs error (device mmcblk0p7): ext4_journal_check_start:84",
            "[81235.1] usb 1-1.3: new full-speed USB device number 4",
        ]
    )
    lines = io_error_lines(log)
    assert len(lines) == 3
    result = evaluate_io_errors(lines)
    assert (result.status, result.code, result.details["count"]) == ("fail", "E-IO", 3)
    assert evaluate_io_errors([]).status == "ok"


def test_a_failing_usb_stick_is_not_the_totems_card():
    log = "\n".join(
        [
            "[ 912.1] I/O error, dev sda, sector 2048 op 0x0:(READ) flags 0x80700",
            "[ 913.4] Buffer I/O error on dev sda1, logical block 0, async page read",
            "[ 990.0] I/O error, dev mmcblk0, sector 31457408 op 0x1:(WRITE)",
        ]
    )
    assert io_error_lines(log, {"mmcblk0"}) == [
        "[ 990.0] I/O error, dev mmcblk0, sector 31457408 op 0x1:(WRITE)"
    ]
    assert len(io_error_lines(log)) == 3  # own disk unknown: everything counts
    assert [disk_of(d) for d in ("/dev/mmcblk0p6", "/dev/vda6", "/dev/nvme0n1p2")] == [
        "mmcblk0",
        "vda",
        "nvme0n1",
    ]
    assert disk_of("/dev/root") is None and disk_of("tmpfs") is None


def test_emmc_wear_follows_the_jedec_estimates():
    def card(life, eol="0x01"):
        return evaluate_wear({"mmc0:0001": {"life_time": life, "pre_eol_info": eol}})

    assert card("0x01 0x01").status == "ok"
    assert (card("0x02 0x08").status, card("0x02 0x08").code) == ("warn", "W-WEAR")
    assert card("0x01 0x01", eol="0x02").code == "W-WEAR"
    assert (card("0x0a 0x0b").status, card("0x0a 0x0b").code) == ("fail", "E-WEAR")
    assert card("0x01 0x01", eol="0x03").code == "E-WEAR"
    assert evaluate_wear({}).status == "skip"  # SD cards do not report wear


# --- temperature, memory --------------------------------------------------------------


def test_temperature_thresholds():
    assert evaluate_temperatures({"thermal_zone0:cpu-thermal": 48.7}).status == "ok"
    assert evaluate_temperatures({"z0": 40.0, "z1": 79.0}).code == "W-TEMP"
    hot = evaluate_temperatures({"thermal_zone0:cpu-thermal": 86.2})
    assert (hot.status, hot.code, hot.critical) == ("fail", "E-TEMP", False)
    assert evaluate_temperatures({}).status == "skip"


def test_memory_pressure():
    meminfo = parse_meminfo("MemTotal:  4000000 kB\nMemAvailable:  3000000 kB\n")
    calm = parse_pressure("some avg10=0.00 avg60=0.50 avg300=0.10 total=1\nfull avg10=0 avg60=0")
    assert evaluate_memory(meminfo, calm).status == "ok"
    stalled = parse_pressure("some avg10=30.00 avg60=22.10 avg300=5.00 total=99")
    assert evaluate_memory(meminfo, stalled).code == "W-MEMORY"
    low = parse_meminfo("MemTotal:  4000000 kB\nMemAvailable:  300000 kB\n")
    assert evaluate_memory(low, None).code == "W-MEMORY"
    exhausted = parse_meminfo("MemTotal:  4000000 kB\nMemAvailable:  100000 kB\n")
    assert evaluate_memory(exhausted, None).code == "E-MEMORY"
    assert evaluate_memory({}, None).status == "skip"


# --- clock ----------------------------------------------------------------------------

BUILT = datetime(2025, 11, 16, tzinfo=UTC)


def test_a_clock_before_the_image_was_built_is_wrong_even_if_it_claims_sync():
    result = evaluate_clock(True, datetime(1970, 1, 1, 0, 1, tzinfo=UTC), BUILT)
    assert (result.status, result.code) == ("fail", "E-CLOCK")


def test_clock_synchronisation_states():
    now = BUILT + timedelta(days=300)
    assert evaluate_clock(True, now, BUILT).status == "ok"
    assert evaluate_clock(False, now, BUILT).code == "W-CLOCK"
    unknown = evaluate_clock(None, now, None, "no system bus")
    assert unknown.status == "skip" and "no system bus" in unknown.message_en


# --- display --------------------------------------------------------------------------


def test_display_states():
    hdmi = Connector("card1-HDMI-A-1", "connected", ("1920x1080", "1280x720"))
    unplugged = Connector("card1-HDMI-A-2", "disconnected", ())
    assert evaluate_display([hdmi, unplugged], (1080, 1920)).status == "ok"  # portrait panel
    assert evaluate_display([hdmi], (1920, 1080)).status == "ok"
    assert evaluate_display([hdmi], (3840, 2160)).code == "W-DISPLAY-MODE"
    assert evaluate_display([unplugged], (1080, 1920)).code == "E-DISPLAY"
    assert evaluate_display(None, (1080, 1920)).code == "E-DISPLAY"
    assert not evaluate_display(None, None).critical  # the screen cannot show it anyway


# --- network --------------------------------------------------------------------------


def test_addresses_and_routes_from_proc():
    trie = """Main:
  +-- 0.0.0.0/0 3 0 5
     |-- 0.0.0.0
        /0 universe UNICAST
     +-- 127.0.0.0/8 2 0 2
           |-- 127.0.0.1
              /32 host LOCAL
     +-- 10.0.2.0/24 2 0 2
           |-- 10.0.2.15
              /32 host LOCAL
Local:
  +-- 0.0.0.0/0 3 0 5
           |-- 10.0.2.15
              /32 host LOCAL
"""
    assert parse_fib_trie(trie) == ["10.0.2.15"]
    inet6 = (
        "00000000000000000000000000000001 01 80 10 80       lo\n"
        "fe80000000000000dea632fffe0a1b2c 02 40 20 80     eth0\n"
        "20010db8000000000000000000000042 02 40 00 00     eth0\n"
    )
    assert parse_if_inet6(inet6) == ["2001:db8::42"]
    route = "Iface\tDestination\tGateway\neth0\t00000000\t0202000A\neth0\t0002000A\t00000000\n"
    assert has_default_route(route)
    assert not has_default_route("Iface\tDestination\tGateway\neth0\t0002000A\t00000000\n")


def test_link_states():
    assert evaluate_link({"eth0": "down", "wlan0": "down"}, [], False).code == "E-NET"
    assert evaluate_link({"eth0": "up"}, [], False).code == "W-NET-ADDR"
    assert evaluate_link({"eth0": "up"}, ["10.0.2.15"], False).code == "W-NET-ADDR"
    assert evaluate_link({"eth0": "up"}, ["10.0.2.15"], True).status == "ok"


def test_the_resolver_is_the_first_nameserver():
    assert resolver_address("# dnsmasq\nnameserver 127.0.0.1\nnameserver 9.9.9.9\n") == "127.0.0.1"
    assert resolver_address("") == "127.0.0.1"


def test_dns_query_is_a_well_formed_question():
    query = dns_query("participation.example.fr", 0x1234)
    assert query[:2] == b"\x12\x34"
    assert b"\x0dparticipation\x07example\x02fr\x00" in query
    assert query.endswith(b"\x00\x01\x00\x01")


def test_network_policy_states():
    assert evaluate_policy({"state": "applied", "reason": None, "at": "x"}).status == "ok"
    closed = evaluate_policy({"state": "fail-closed", "reason": "nft: syntax error", "at": "x"})
    assert (closed.status, closed.code) == ("fail", "E-NETPOLICY")
    assert "nft: syntax error" in closed.message_en
    assert evaluate_policy(None).status == "skip"


# --- watchdog, outbox -----------------------------------------------------------------


def test_systemd_time_spans():
    assert parse_timespan("15s") == 15
    assert parse_timespan("2min") == 120
    assert parse_timespan("1min 30s") == 90
    assert parse_timespan("10") == 10
    assert parse_timespan("off") is None and parse_timespan("0") is None


def test_the_last_runtime_watchdog_setting_wins_and_only_in_manager():
    files = [
        "[Manager]\n#RuntimeWatchdogSec=off\n",
        "[Manager]\nRuntimeWatchdogSec=30s\n",
        "[Other]\nRuntimeWatchdogSec=1s\n[Manager]\nRuntimeWatchdogSec=15s\n",
    ]
    assert runtime_watchdog_setting(files) == "15s"
    assert runtime_watchdog_setting(["[Manager]\n"]) is None


def test_watchdog_states():
    assert evaluate_watchdog(["watchdog0"], 15).status == "ok"
    assert evaluate_watchdog(["watchdog0"], None).code == "W-WATCHDOG"
    assert evaluate_watchdog([], 15).code == "W-WATCHDOG"


def test_outbox_age():
    now = datetime(2026, 11, 28, 12, tzinfo=UTC)
    assert evaluate_outbox(None, 0, now).status == "ok"
    assert evaluate_outbox(now - timedelta(minutes=5), 3, now).status == "ok"
    assert evaluate_outbox(now - timedelta(hours=7), 3, now).code == "W-SYNC"
    late = evaluate_outbox(now - timedelta(days=4), 12, now)
    assert (late.status, late.code, late.critical) == ("fail", "E-SYNC", False)
    assert parse_time("2026-11-28T10:00:00Z") == datetime(2026, 11, 28, 10, tzinfo=UTC)


# --- touch ----------------------------------------------------------------------------


def test_a_real_panel_recording_is_accepted_with_its_ranges(touch_fixtures):
    description = read_description(touch_fixtures / "Atmel_maXTouch_Touchscreen.desc")
    result = evaluate_touch([Candidate("event3", description)])
    assert result.status == "ok"
    assert result.details["node"] == "/dev/input/event3"
    assert result.details["ranges"]["ABS_X"] == [0, 799]


def test_a_panel_with_an_empty_axis_range_is_unusable(touch_fixtures):
    description = read_description(touch_fixtures / "Atmel_maXTouch_Touchscreen.desc")
    flat = {axis: AbsRange(0, 0) for axis in description.abs_ranges}
    broken = dataclasses.replace(description, abs_ranges=flat)
    result = evaluate_touch([Candidate("event3", broken)])
    assert (result.status, result.code, result.critical) == ("fail", "E-TOUCH", True)
    assert "empty axis range" in result.message_en


def test_no_input_at_all_means_no_touch_panel():
    result = evaluate_touch([])
    assert (result.status, result.code, result.critical) == ("fail", "E-TOUCH", True)
