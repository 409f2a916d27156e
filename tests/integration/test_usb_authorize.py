"""`totem usb authorize` over a tree shaped like /sys/bus/usb/devices, with devices as the
kernel shows them before authorizing them (ids, raw descriptors, `authorized` at 0): the
first boot pins the panel, later a keyboard, a network adapter and a moved panel stay out;
hubs and sticks come in."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from usb_descriptors import descriptors

TOTEM = [sys.executable, "-m", "appliance", "usb", "authorize"]


def plug(sysfs, port, vendor, product, raw):
    device = sysfs / port
    device.mkdir()
    (device / "idVendor").write_text(f"{vendor}\n")
    (device / "idProduct").write_text(f"{product}\n")
    (device / "descriptors").write_bytes(raw)
    (device / "authorized").write_text("0\n")
    return device


def authorize(tmp_path, *args):
    done = subprocess.run([*TOTEM, "--sysfs", str(tmp_path / "sys"), "--data-dir",
                           str(tmp_path / "data"), *args], capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def authorized(device) -> bool:
    return (device / "authorized").read_text().strip() == "1"


def test_the_first_boot_pins_the_panel_and_later_only_allowed_devices_come_in(tmp_path):
    sysfs, data = tmp_path / "sys", tmp_path / "data"
    sysfs.mkdir()
    data.mkdir()
    (sysfs / "usb1").mkdir()  # a root hub: always the kernel's own
    tablet = plug(sysfs, "1-1", "0627", "0001", descriptors(0, (0, 3, 0, 0)))
    hub = plug(sysfs, "1-2", "2109", "3431", descriptors(9, (0, 9, 0, 0)))
    # Coldplug before the data partition: udev's run decides nothing.
    assert "no pinned panel yet" in authorize(tmp_path, "1-1")
    assert not authorized(tablet)
    said = authorize(tmp_path, "--all", "--pin-first-boot")
    assert "pinned at first boot: 0627:0001 on 1-1" in said
    assert authorized(tablet) and authorized(hub)
    assert json.loads((data / "usb-pins.json").read_text())["pins"][0]["port"] == "1-1"

    keyboard = plug(sysfs, "1-2.1", "0627", "0001", descriptors(0, (0, 3, 1, 1)))
    stick = plug(sysfs, "1-2.2", "46f4", "0001", descriptors(0, (0, 8, 6, 0x50)))
    bad_usb = plug(sysfs, "1-2.3", "1234", "5678", descriptors(0, (0, 8, 6, 0x50), (1, 3, 1, 1)))
    network = plug(sysfs, "1-2.4", "0525", "a4a2", descriptors(2, (0, 2, 2, 0xFF), (1, 10, 0, 0)))
    moved = plug(sysfs, "1-2.5", "0627", "0001", descriptors(0, (0, 3, 0, 0)))
    for device in ("1-2.1", "1-2.2", "1-2.3", "1-2.4", "1-2.5"):
        said = authorize(tmp_path, device)  # udev, one device at a time
    assert authorized(stick)
    assert not any(authorized(d) for d in (keyboard, bad_usb, network, moved))
    # A second boot does not pin again: the panel's port is remembered.
    said = authorize(tmp_path, "--all", "--pin-first-boot")
    assert "pinned at first boot" not in said
    assert "refused 0627:0001 on 1-2.1: has a keyboard interface" in said


def test_a_device_lying_in_its_descriptors_stays_out_and_the_rest_goes_on(tmp_path):
    sysfs, data = tmp_path / "sys", tmp_path / "data"
    sysfs.mkdir()
    data.mkdir()
    liar = plug(sysfs, "1-1", "1234", "5678", b"\x12\x01" + bytes(30))
    stick = plug(sysfs, "1-2", "46f4", "0001", descriptors(0, (0, 8, 6, 0x50)))
    said = authorize(tmp_path, "--all", "--pin-first-boot")
    assert "refused 1-1: unreadable" in said
    assert authorized(stick) and not authorized(liar)


def test_a_first_boot_without_a_panel_pins_nothing_and_the_next_boot_pins_it(tmp_path):
    sysfs, data = tmp_path / "sys", tmp_path / "data"
    sysfs.mkdir()
    data.mkdir()
    stick = plug(sysfs, "1-2", "46f4", "0001", descriptors(0, (0, 8, 6, 0x50)))
    assert "pinned" not in authorize(tmp_path, "--all", "--pin-first-boot")
    assert authorized(stick) and not (data / "usb-pins.json").exists()
    panel = plug(sysfs, "1-1", "222a", "0001", descriptors(0, (0, 3, 0, 0)))
    assert "pinned at first boot: 222a:0001 on 1-1" in authorize(
        tmp_path, "--all", "--pin-first-boot"
    )
    assert authorized(panel)


def accept_panel(tmp_path, port: str) -> tuple[subprocess.CompletedProcess, dict | None]:
    """What the service menu's "Accepter" starts: the kiosk's request, then root's
    `totem usb accept-panel` (totem-service-panel.path), its answer for the kiosk."""
    from appliance.service import errands, panel

    errands.ask(tmp_path / "data", panel.REQUEST, "v1", port=port)
    state = tmp_path / "run" / "dongle.json"
    done = subprocess.run(
        [sys.executable, "-m", "appliance", "usb", "accept-panel", "--sysfs",
         str(tmp_path / "sys"), "--data-dir", str(tmp_path / "data"), "--state", str(state)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return done, errands.read_answer(state.parent / panel.RESULT, "v1")


def test_a_replacement_panel_accepted_in_the_menu_is_pinned_in_place_of_the_old(tmp_path):
    from appliance.service import audit

    sysfs, data = tmp_path / "sys", tmp_path / "data"
    sysfs.mkdir()
    data.mkdir()
    old = plug(sysfs, "1-1", "0627", "0001", descriptors(0, (0, 3, 0, 0)))
    authorize(tmp_path, "--all", "--pin-first-boot")
    assert authorized(old)
    # The technician swaps the panel: the new one, on another port, is refused like any
    # unknown HID device until accepted.
    shutil.rmtree(old)
    new = plug(sysfs, "1-2", "222a", "0001", descriptors(0, (0, 3, 0, 0)))
    keyboard = plug(sysfs, "1-3", "0627", "0001", descriptors(0, (0, 3, 1, 1)))
    authorize(tmp_path, "1-2")
    assert not authorized(new)
    done, answer = accept_panel(tmp_path, "1-3")  # a keyboard is never a panel
    assert done.returncode == 1 and "cannot be a touch panel" in answer["reason"]["en"]
    assert not authorized(keyboard)
    done, answer = accept_panel(tmp_path, "1-2")
    assert done.returncode == 0, done.stderr
    assert answer == {"visit": "v1", "ok": True, "ident": "222a:0001", "port": "1-2"}
    assert authorized(new)
    pins = json.loads((data / "usb-pins.json").read_text())["pins"]
    assert [(p["ident"], p["port"]) for p in pins] == [("222a:0001", "1-2")]
    # The old panel plugged back on its port is now refused; the new one stays in at boot.
    old = plug(sysfs, "1-1", "0627", "0001", descriptors(0, (0, 3, 0, 0)))
    said = authorize(tmp_path, "--all", "--pin-first-boot")
    assert not authorized(old) and "refused 0627:0001 on 1-1" in said
    assert "authorized 222a:0001 on 1-2" in said
    done, answer = accept_panel(tmp_path, "../1-2")  # a request that names no port
    assert done.returncode == 1 and "no USB device on port" in answer["reason"]["en"]
    events = [e["event"] for e in audit.entries(data)]
    assert events == ["panel-refused", "panel-accepted", "panel-refused"]
