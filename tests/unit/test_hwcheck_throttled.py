"""The Pi firmware's get_throttled bit field, decoded bit by bit."""

import pytest

from appliance.hwcheck.thermal import decode_throttled, evaluate_throttling, parse_throttled

NOW_BITS = [
    (0, "under_voltage"),
    (1, "frequency_capped"),
    (2, "throttled"),
    (3, "soft_temperature_limit"),
]


@pytest.mark.parametrize(("bit", "name"), NOW_BITS)
def test_each_low_bit_is_a_condition_happening_now(bit, name):
    decoded = decode_throttled(1 << bit)
    assert decoded.now == {name}
    assert decoded.since_boot == set()


@pytest.mark.parametrize(("bit", "name"), NOW_BITS)
def test_each_high_bit_is_the_same_condition_since_boot(bit, name):
    decoded = decode_throttled(1 << (bit + 16))
    assert decoded.now == set()
    assert decoded.since_boot == {name}


def test_bits_outside_the_documented_ones_are_ignored():
    decoded = decode_throttled((1 << 4) | (1 << 15) | (1 << 20) | (1 << 31))
    assert decoded.now == set() and decoded.since_boot == set()


def test_a_typical_weak_power_supply():
    # 0x50005: under-voltage and throttled now, both also since boot
    decoded = decode_throttled(0x50005)
    assert decoded.now == {"under_voltage", "throttled"}
    assert decoded.since_boot == {"under_voltage", "throttled"}


def test_vcgencmd_output_is_parsed_in_hex():
    assert parse_throttled("throttled=0x50005\n") == 0x50005
    assert parse_throttled("throttled=0x0") == 0
    assert parse_throttled('error=1 error_msg="Command not registered"') is None


def test_nothing_set_is_ok():
    result = evaluate_throttling(decode_throttled(0))
    assert result.status == "ok" and result.code is None


def test_under_voltage_since_boot_tells_the_technician_about_the_power_supply():
    result = evaluate_throttling(decode_throttled(1 << 16))
    assert (result.status, result.code) == ("warn", "W-POWER")
    assert "since boot" in result.message_en
    assert "alimentation" in result.message_fr


def test_heat_throttling_now_points_at_cooling():
    result = evaluate_throttling(decode_throttled(0xE000E))
    assert (result.status, result.code) == ("warn", "W-THROTTLED")
    assert result.details["now"] == ["frequency_capped", "soft_temperature_limit", "throttled"]
    assert "(now)" in result.message_en and "cooling" in result.message_en
    assert not result.critical
