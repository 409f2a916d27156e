"""Every unit the image runs is sandboxed as far as its job allows, as scored by
`systemd-analyze security` offline on the image's own unit files. The ceilings pin what was
reached, so a change that loosens a unit fails here (lower them when a unit gets tighter)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

OVERLAY = Path(__file__).resolve().parents[2] / "image/stages/40-configure/02-overlay/files"
UNITS = OVERLAY / "usr/lib/systemd/system"
# Exposure ceilings (0 = locked down, 10 = unprotected). The console report runs only in the
# QEMU system test (kernel command line `totem.report`): it mounts debugfs and reads every
# unit's state as root, which no sandbox allows.
CEILINGS = {
    "totem-dongle@.service": 1.1,
    "totem-firstboot.service": 2.0,
    "totem-growdata.service": 2.5,
    "totem-hwcheck.service": 2.5,
    "totem-netpolicy.service": 2.3,
    "totem-netpolicy-refresh.service": 2.4,
    "totem-resolver.service": 2.7,
    "totem-service-export.service": 1.1,
    "totem-service-install.service": 1.1,
    "totem-service-panel.service": 1.8,
    "totem-service-reboot.service": 1.8,
    "totem-sync.service": 1.7,
    "totem-ui.service": 1.9,
    "totem-usb.service": 2.6,
    "totem-update-boot.service": 2.6,
    "totem-update-health.service": 2.1,
    "totem-update-restart.service": 2.1,
}
UNSANDBOXED = {"totem-console-report.service"}


def _analyze_version() -> int:
    if shutil.which("systemd-analyze") is None:
        return 0
    out = subprocess.run(["systemd-analyze", "--version"], capture_output=True, text=True).stdout
    match = re.match(r"systemd (\d+)", out)
    return int(match[1]) if match else 0


needs_offline_analyze = pytest.mark.skipif(
    _analyze_version() < 250, reason="needs systemd-analyze 250 or later (offline security)"
)


def exposure(unit: str) -> float:
    out = subprocess.run(
        ["systemd-analyze", "security", "--offline=true", "--no-pager", str(UNITS / unit)],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    return float(re.search(r"Overall exposure level for \S+: ([\d.]+)", out)[1])


def test_every_service_of_the_image_has_a_ceiling():
    services = {p.name for p in UNITS.glob("*.service")}
    assert services == set(CEILINGS) | UNSANDBOXED


@needs_offline_analyze
@pytest.mark.parametrize("unit", sorted(CEILINGS))
def test_each_unit_stays_within_its_exposure_ceiling(unit):
    assert exposure(unit) <= CEILINGS[unit]


@pytest.mark.parametrize("unit", sorted(CEILINGS))
def test_each_unit_names_the_capabilities_it_keeps(unit):
    text = (UNITS / unit).read_text()
    assert re.search(r"^CapabilityBoundingSet=", text, re.M), "root keeps every capability"
    assert "NoNewPrivileges=yes" in text and "ProtectSystem=strict" in text
    assert "SystemCallFilter=@system-service" in text


def test_udev_hands_every_usb_stick_with_a_filesystem_to_the_dongle_reader_only():
    rules = (OVERLAY / "usr/lib/udev/rules.d/70-totem-dongle.rules").read_text()
    rule = rules.replace("\\\n", "")
    match = re.search(r'^ACTION=="add".*SYSTEMD_WANTS\}\+="(totem-dongle@)%k\.service"', rule, re.M)
    assert match and 'ENV{ID_BUS}=="usb"' in rule and 'SUBSYSTEM=="block"' in rule
    unit = (UNITS / "totem-dongle@.service").read_text()
    assert "ExecStart=/usr/bin/totem dongle read %I " in unit
    # Nothing stays running for a stick: a unit stopping while the next stick comes under
    # the same name would have that stick's read dropped ("contradicts existing jobs").
    assert "RemainAfterExit" not in unit and "BindsTo" not in unit and "ExecStop" not in unit
    assert "mount" not in unit.split("[Service]")[1].replace("ProtectKernelModules", "")


def test_every_usb_device_plugged_is_judged_and_the_boot_judges_those_already_there():
    rule = (OVERLAY / "usr/lib/udev/rules.d/71-totem-usb.rules").read_text().replace("\\\n", "")
    assert re.search(r'ACTION=="add", SUBSYSTEM=="usb", ENV\{DEVTYPE\}=="usb_device".*'
                     r'RUN\+="/usr/bin/totem usb authorize --kmsg %k"', rule)  # fmt: skip
    unit = (UNITS / "totem-usb.service").read_text()
    assert (
        "--all --pin-first-boot" in unit and "Before=totem-ui.service totem-hwcheck.service" in unit
    )
    assert "ProtectKernelTunables" not in unit  # it writes /sys/bus/usb/devices/*/authorized


def test_what_root_writes_for_the_kiosk_stays_readable_by_it():
    """A unit that answers the kiosk in /run/totem runs as the kiosk's user or, as root,
    with its group and a umask that leaves the answer readable (seen: a replacement panel
    accepted by root, whose answer the kiosk could not read)."""
    for path in sorted(UNITS.glob("*.service")):
        text = path.read_text()
        writes = re.search(r"^ReadWritePaths=.*/run/totem\b", text, re.M)
        if not writes:
            continue
        user = re.search(r"^User=(\S+)", text, re.M)
        group = re.search(r"^Group=(\S+)", text, re.M)
        umask = re.search(r"^UMask=0*([0-7]{3})", text, re.M)
        if umask is None or (user and user[1] == "totem"):
            continue  # the kiosk's own user, or root's default umask (0644 files)
        assert group and group[1] == "totem", f"{path.name}: root's files, not the kiosk's"
        assert int(umask[1][1]) & 4 == 0, f"{path.name}: group cannot read"
