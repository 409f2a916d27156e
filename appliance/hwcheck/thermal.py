"""Temperature (thermal zones) and the Pi firmware's throttling flags.

`vcgencmd get_throttled` answers `throttled=0x50005`: the low bits say what is happening
now, the same bits shifted by 16 what happened since boot. Under-voltage is the most
common field failure (a weak power supply) and the one a technician can fix.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from dataclasses import dataclass

from appliance.hwcheck.context import CheckContext
from appliance.hwcheck.result import CheckResult, fail, ok, skip, warn

WARN_CELSIUS = 75.0  # the Pi firmware starts capping the frequency at 80 °C
FAIL_CELSIUS = 85.0  # hard throttling

# bit → (name in details, fr, en)
THROTTLE_BITS = {
    0: ("under_voltage", "sous-tension", "under-voltage"),
    1: ("frequency_capped", "fréquence plafonnée", "frequency capped"),
    2: ("throttled", "processeur bridé", "throttled"),
    3: ("soft_temperature_limit", "limite de température", "soft temperature limit"),
}
SINCE_BOOT_SHIFT = 16


@dataclass(frozen=True)
class Throttling:
    now: frozenset[str]
    since_boot: frozenset[str]
    raw: int


def decode_throttled(value: int) -> Throttling:
    """Split the get_throttled bit field into what is true now and since boot."""
    now = {name for bit, (name, _, _) in THROTTLE_BITS.items() if value >> bit & 1}
    past = {
        name for bit, (name, _, _) in THROTTLE_BITS.items() if value >> (bit + SINCE_BOOT_SHIFT) & 1
    }
    return Throttling(frozenset(now), frozenset(past), value)


def parse_throttled(text: str) -> int | None:
    match = re.search(r"throttled=(0x[0-9a-fA-F]+|\d+)", text)
    return int(match.group(1), 0) if match else None


def evaluate_throttling(throttling: Throttling) -> CheckResult:
    details = {
        "raw": hex(throttling.raw),
        "now": sorted(throttling.now),
        "since_boot": sorted(throttling.since_boot),
    }
    if not throttling.now and not throttling.since_boot:
        return ok(
            "throttling",
            "Alimentation et fréquence normales.",
            "Power and clock frequency normal.",
            **details,
        )
    fr_names = {name: fr for name, fr, _ in THROTTLE_BITS.values()}
    en_names = {name: en for name, _, en in THROTTLE_BITS.values()}
    events = throttling.now or throttling.since_boot
    when_fr = "en ce moment" if throttling.now else "depuis le démarrage"
    when_en = "now" if throttling.now else "since boot"
    what_fr = ", ".join(fr_names[n] for n in sorted(events))
    what_en = ", ".join(en_names[n] for n in sorted(events))
    power = "under_voltage" in throttling.now | throttling.since_boot
    code = "W-POWER" if power else "W-THROTTLED"
    advice_fr = " Vérifier l'alimentation." if power else " Vérifier la ventilation."
    advice_en = " Check the power supply." if power else " Check the cooling."
    return warn(
        "throttling",
        code,
        f"Raspberry Pi : {what_fr} ({when_fr}).{advice_fr}",
        f"Raspberry Pi: {what_en} ({when_en}).{advice_en}",
        **details,
    )


def evaluate_temperatures(zones: dict[str, float]) -> CheckResult:
    if not zones:
        return skip("temperature", "Aucun capteur de température.", "No temperature sensor.")
    hottest_zone = max(zones, key=zones.get)
    hottest = zones[hottest_zone]
    details = {"celsius": zones, "hottest": hottest_zone}
    if hottest >= FAIL_CELSIUS:
        return fail(
            "temperature",
            "E-TEMP",
            f"Surchauffe : {hottest:.0f} °C. Aérer le boîtier.",
            f"Overheating: {hottest:.0f} °C. Ventilate the enclosure.",
            **details,
        )
    if hottest >= WARN_CELSIUS:
        return warn(
            "temperature",
            "W-TEMP",
            f"Température élevée : {hottest:.0f} °C.",
            f"High temperature: {hottest:.0f} °C.",
            **details,
        )
    return ok(
        "temperature",
        f"Température normale : {hottest:.0f} °C.",
        f"Temperature normal: {hottest:.0f} °C.",
        **details,
    )


def check_temperature(ctx: CheckContext) -> CheckResult:
    zones: dict[str, float] = {}
    for zone in ctx.sysroot.glob("sys/class/thermal/thermal_zone*"):
        raw = ctx.sysroot.read(f"{zone}/temp")
        if raw is None or not raw.strip().lstrip("-").isdigit():
            continue  # some zones refuse reads when their sensor is off
        kind = (ctx.sysroot.read(f"{zone}/type") or zone.name).strip()
        zones[f"{zone.name}:{kind}"] = int(raw) / 1000
    return evaluate_temperatures(zones)


def read_throttled(ctx: CheckContext) -> str | None:
    if not ctx.live:
        return ctx.sysroot.recorded("vcgencmd/get_throttled")
    vcgencmd = shutil.which("vcgencmd")
    if vcgencmd is None:
        return None
    try:
        done = subprocess.run(
            [vcgencmd, "get_throttled"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout


def read_hwmon_under_voltage(ctx: CheckContext) -> bool | None:
    """Under-voltage now, from the kernel's raspberrypi-hwmon (Debian has no vcgencmd)."""
    for hwmon in ctx.sysroot.glob("sys/class/hwmon/hwmon*"):
        if (ctx.sysroot.read(f"{hwmon}/name") or "").strip() == "rpi_volt":
            alarm = (ctx.sysroot.read(f"{hwmon}/in0_lcrit_alarm") or "").strip()
            if alarm in ("0", "1"):
                return alarm == "1"
    return None


def check_throttling(ctx: CheckContext) -> CheckResult:
    text = read_throttled(ctx)
    if text is None:
        under_voltage = read_hwmon_under_voltage(ctx)
        if under_voltage is not None:
            # only the "now" under-voltage bit is known without the firmware tool
            result = evaluate_throttling(decode_throttled(1 if under_voltage else 0))
            return dataclasses.replace(result, details={**result.details, "source": "hwmon"})
        return skip(
            "throttling",
            "Ni vcgencmd ni capteur rpi_volt : pas un Raspberry Pi.",
            "Neither vcgencmd nor the rpi_volt sensor: not a Raspberry Pi.",
        )
    value = parse_throttled(text)
    if value is None:
        return skip(
            "throttling",
            "Réponse de vcgencmd illisible.",
            "Unreadable vcgencmd answer.",
            output=text.strip()[:200],
        )
    return evaluate_throttling(decode_throttled(value))
