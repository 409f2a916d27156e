"""`totem usb authorize`: let the kernel use only the USB devices a totem needs — hubs, mass
storage (the service dongle), the touch panel pinned at first boot — and nothing else
(appliance/service/usbpolicy.py decides; the kernel starts with every device unauthorized,
`usbcore.authorized_default=0`).

Run by udev for each device plugged (it never pins), and once at boot by
totem-usb.service once the data partition is there (it pins the panels at first boot).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from appliance.cli import CliError

SYSFS = "/sys/bus/usb/devices"
DEVICE = re.compile(r"[0-9]+-[0-9]+(\.[0-9]+)*", re.ASCII)  # 1-1, 1-1.2; not usb1, 1-1:1.0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("usb", help="the USB lockdown")
    commands = parser.add_subparsers(dest="usb_command", metavar="ACTION", required=True)
    authorize = commands.add_parser(
        "authorize", help="authorize the allowed USB devices, leave the others unusable"
    )
    authorize.add_argument("devices", nargs="*", metavar="DEVICE", help="e.g. 1-1.2 (udev's %%k)")
    authorize.add_argument("--all", action="store_true", help="every USB device plugged")
    authorize.add_argument(
        "--pin-first-boot",
        action="store_true",
        help="with no pins yet, pin the HID devices plugged now (the touch panel)",
    )
    authorize.add_argument("--data-dir", default="/var/lib/totem")
    authorize.add_argument("--sysfs", default=SYSFS, help=argparse.SUPPRESS)
    authorize.add_argument(
        "--kmsg", action="store_true", help="say each refusal in the kernel log too"
    )
    authorize.set_defaults(func=_authorize)


def _authorize(args: argparse.Namespace) -> int:
    from appliance.service.usbpolicy import (
        decide,
        first_boot_pins,
        load_pins,
        read_device,
        save_pins,
    )

    sysfs = Path(args.sysfs)
    names = [p.name for p in sysfs.iterdir()] if args.all else args.devices
    if not args.all and not names:
        raise CliError("name a DEVICE (e.g. 1-1.2) or give --all")
    devices = []
    for name in sorted(n for n in names if DEVICE.fullmatch(n)):
        try:
            devices.append(read_device(sysfs / name))
        except (OSError, ValueError) as error:  # gone already, or lying: left unauthorized
            _say(args, f"refused {name}: unreadable ({error})")
    pins = load_pins(Path(args.data_dir))
    if pins is None:
        if not args.pin_first_boot:
            print("no pinned panel yet: the boot's totem-usb.service decides")
            return 0
        pins = first_boot_pins(devices, {d.port for d in devices})
        if pins:  # none plugged yet: the next boot pins the panel plugged by then
            try:
                save_pins(Path(args.data_dir), pins)
            except OSError as error:  # the panel still works this time; the next boot pins
                _say(args, f"cannot keep the pinned panel: {error}")
            print(f"pinned at first boot: {', '.join(f'{p.ident} on {p.port}' for p in pins)}")
    for device in devices:
        verdict = decide(device, pins)
        if verdict.authorized:
            try:
                (sysfs / device.port / "authorized").write_text("1\n")
            except OSError as error:
                _say(args, f"cannot authorize {device.ident} on {device.port}: {error}")
                continue
            print(f"authorized {device.ident} on {device.port}: {verdict.reason}")
        else:
            _say(args, f"refused {device.ident} on {device.port}: {verdict.reason}")
    return 0


def _say(args: argparse.Namespace, line: str) -> None:
    print(line)
    if args.kmsg:  # the quiet serial console (loglevel=3) shows critical lines only
        try:
            Path("/dev/kmsg").write_text(f"<2>totem-usb: {line}\n")
        except OSError:
            pass
