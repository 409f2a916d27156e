"""`totem usb authorize`: let the kernel use only the USB devices a totem needs — hubs, mass
storage (the service dongle), the touch panel pinned at first boot — and nothing else
(appliance/service/usbpolicy.py decides; the kernel starts with every device unauthorized,
`usbcore.authorized_default=0`).

Run by udev for each device plugged (it never pins), and once at boot by
totem-usb.service once the data partition is there (it pins the panels at first boot).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from appliance.cli import CliError
from appliance.said import Said
from appliance.service.visit import STATE_FILE

SYSFS = "/sys/bus/usb/devices"


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

    accept = commands.add_parser(
        "accept-panel", help="pin the replacement touch panel a technician chose in the menu"
    )
    accept.add_argument("--data-dir", default="/var/lib/totem")
    accept.add_argument("--state", default=STATE_FILE, help="beside it, the answer for the kiosk")
    accept.add_argument("--sysfs", default=SYSFS, help=argparse.SUPPRESS)
    accept.set_defaults(func=_accept_panel)


def _authorize(args: argparse.Namespace) -> int:
    from appliance.service.usbpolicy import (
        decide,
        first_boot_pins,
        load_pins,
        read_devices,
        save_pins,
    )

    sysfs = Path(args.sysfs)
    names = [p.name for p in sysfs.iterdir()] if args.all else args.devices
    if not args.all and not names:
        raise CliError("name a DEVICE (e.g. 1-1.2) or give --all")
    devices, unreadable = read_devices(sysfs, names)
    for line in unreadable:  # gone already, or lying: left unauthorized
        _say(args, f"refused {line}")
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


def _accept_panel(args: argparse.Namespace) -> int:
    from appliance.service import panel

    outcome = panel.accept(Path(args.data_dir), Path(args.state).parent / panel.RESULT,
                           Path(args.sysfs))  # fmt: skip
    if not outcome["ok"]:
        raise CliError(Said.from_json(outcome["reason"]).en)
    print(f"accepted the touch panel {outcome['ident']} on {outcome['port']}")
    return 0


def _say(args: argparse.Namespace, line: str) -> None:
    print(line)
    if args.kmsg:  # the quiet serial console (loglevel=3) shows critical lines only
        try:
            Path("/dev/kmsg").write_text(f"<2>totem-usb: {line}\n")
        except OSError:
            pass
