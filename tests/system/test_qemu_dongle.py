"""Technicians' dongles hot-plugged into the running image as USB sticks, through QMP
(`blockdev-add` + `device_add usb-storage,removable=on`, `device_del` to pull it out):

1. a valid dongle opens the service menu (the accessibility tree and a screendump), its
   pages answer touches, the logs export writes the expected files onto the stick (read
   back on the host with mtools), the update from the stick has RAUC refuse the bundle on
   it (signed by another key) with its reason, and pulling the stick out closes it;
2. a forged, an expired and another kiosk's dongle are refused, each with its reason on
   the screen, over the citizen's screen, which stays;
3. a keyboard plugged in (a "BadUSB" stick) is left unauthorized by the kernel — the USB
   lockdown says so on the console — and typing on it changes nothing;
4. a second tablet plugged in (a replacement panel) is refused by the kernel until the
   technician accepts it on the menu's panel page;
5. the touch panel (QEMU's tablet, pinned at first boot) still works after all of it.

The sticks are real FAT filesystems made on the host (mkfs.vfat, mcopy); the guest reads
them with mtools through totem-dongle@.service, started by udev, never mounting them.
"""

from __future__ import annotations

import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import qemu
import releases
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from guests import BOOT_TIMEOUT, BUILD, boot_marks, booted, ids, next_tree
from pictures import colours

from wire.protocol import public_key_b64
from wire.servicetoken import FILENAME, issue

pytestmark = boot_marks(screens=12)
KIOSK = "mairie-dongle"
KEY = Ed25519PrivateKey.generate()
PLUG_TIMEOUT = 240  # udev, the unit, a Python start under TCG, the kiosk's next poll


def stick(work: Path, name: str, token: bytes, bundle: Path | None = None) -> Path:
    image = work / f"{name}.img"
    image.unlink(missing_ok=True)
    subprocess.run(["truncate", "-s", "16M", str(image)], check=True)
    subprocess.run(["mkfs.vfat", "-n", "DONGLE", str(image)], check=True, capture_output=True)
    source = work / f"{name}.token"
    source.write_bytes(token)
    subprocess.run(["mcopy", "-i", str(image), str(source), f"::{FILENAME}"], check=True)
    if bundle is not None:
        subprocess.run(["mcopy", "-i", str(image), str(bundle), "::totem.raucb"], check=True)
    return image


def token(key=KEY, kiosks=(KIOSK,), not_before=None, days=7) -> bytes:
    start = not_before or datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    return issue(key, "Camille Martin", "3f9c0a1b2d4e5f60", start, days, list(kiosks))


@pytest.fixture(scope="module")
def world(built_image):
    work = BUILD / "qemu-dongle-sticks"
    work.mkdir(parents=True, exist_ok=True)
    long_ago = datetime.now(UTC).replace(microsecond=0) - timedelta(days=30)
    # A release signed by a key this totem does not trust (a newer version than any).
    forged = releases.tiny(work / "forged.raucb", "99.0.0+1", *releases.other_key(work))
    sticks = {
        "valid": stick(work, "valid", token(), forged),
        "forged": stick(work, "forged", token(key=Ed25519PrivateKey.generate())),
        "expired": stick(work, "expired", token(not_before=long_ago, days=2)),
        "other": stick(work, "other", token(kiosks=("gare-03",))),
    }

    def prepare(disk: Path) -> None:
        qemu.write_config(
            disk,
            f'[site]\nkiosk_id = "{KIOSK}"\n[service]\nkeys = ["{public_key_b64(KEY)}"]\n',
        )

    with booted(built_image, "qemu-dongle", prepare=prepare) as machine:
        machine.wait_report(lambda r: r.get("event") == "ui-ready", BOOT_TIMEOUT, "UI ready")
        yield {"guest": machine, "sticks": sticks}


def plug(guest: qemu.Qemu, name: str, image: Path, writable: bool = False) -> None:
    guest.qmp("blockdev-add", **{"node-name": name, "driver": "raw", "read-only": not writable,
                                  "file": {"driver": "file", "filename": str(image)}})  # fmt: skip
    guest.qmp("device_add", driver="usb-storage", id=name, drive=name, removable=True)


def pull(guest: qemu.Qemu, name: str) -> None:
    guest.qmp("device_del", id=name)
    deadline = time.monotonic() + 60
    while True:  # the drive is free once the guest let the device go
        try:
            guest.qmp("blockdev-del", **{"node-name": name})
            return
        except qemu.QemuError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def labels(tree: dict) -> str:
    return " | ".join(w.get("label", "") for w in tree.get("widgets", []))


def test_a_valid_dongle_opens_the_service_menu_and_pulling_it_out_closes_it(world):
    guest = world["guest"]
    plug(guest, "valid", world["sticks"]["valid"], writable=True)  # it takes the logs
    menu = next_tree(guest, lambda t: t.get("screen") == "service", "the service menu",
                     PLUG_TIMEOUT)  # fmt: skip
    assert "Camille Martin" in labels(menu) and "3f9c0a1b2d4e5f60" in labels(menu)
    shot = guest.screendump(BUILD / "qemu-dongle-menu.png")
    assert len(colours(shot)) >= 4, f"{shot} is blank"
    guest.tap(*qemu.centre(ids(menu)["page-diagnostics"]))
    page = next_tree(guest, lambda t: "check-0" in ids(t), "the diagnostics page")
    assert "Diagnostic du matériel" in labels(page)
    guest.tap(*qemu.centre(ids(page)["back"]))
    menu = next_tree(guest, lambda t: "page-export" in ids(t), "the menu again")
    guest.tap(*qemu.centre(ids(menu)["page-export"]))
    page = next_tree(guest, lambda t: "export-now" in ids(t), "the export page")
    guest.tap(*qemu.centre(ids(page)["export-now"]))
    done = next_tree(guest, lambda t: "Journaux copiés" in labels(t) or "impossible" in labels(t),
                     "the export's outcome", PLUG_TIMEOUT)  # fmt: skip
    assert "Journaux copiés" in labels(done), labels(done)
    # The update from the stick: root's unit copies the .raucb off it, RAUC reads it.
    guest.tap(*qemu.centre(ids(done)["back"]))
    menu = next_tree(guest, lambda t: "page-install" in ids(t), "the menu again")
    guest.tap(*qemu.centre(ids(menu)["page-install"]))
    page = next_tree(guest, lambda t: "install-now" in ids(t), "the update page")
    guest.tap(*qemu.centre(ids(page)["install-now"]))
    done = next_tree(guest, lambda t: "Mise à jour impossible" in labels(t),
                     "the update refused", PLUG_TIMEOUT)  # fmt: skip
    assert "signature" in labels(done), labels(done)
    pull(guest, "valid")
    after = next_tree(guest, lambda t: t.get("screen") != "service", "the menu closed",
                      PLUG_TIMEOUT)  # fmt: skip
    assert after["screen"] == "attract" and "Camille" not in labels(after)
    # What the technician takes away, read back on the host.
    stick = str(world["sticks"]["valid"])
    listing = subprocess.run(["mdir", "-/", "-b", "-i", stick, "::TOTEM-LOGS"],
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
    names = {line.rsplit("/", 1)[-1] for line in listing.split()}
    assert {"journal.txt", "hwcheck.json", "audit.jsonl", "update-status.json"} <= names, names


@pytest.mark.parametrize(
    ("name", "reason"),
    [("forged", "non signé"), ("expired", "expiré le"), ("other", "prévu pour gare-03")],
)
def test_a_refused_dongle_says_why_and_opens_nothing(world, name, reason):
    guest = world["guest"]
    plug(guest, name, world["sticks"][name])
    tree = next_tree(guest, lambda t: "Clé refusée" in labels(t), f"the {name} dongle refused",
                     PLUG_TIMEOUT)  # fmt: skip
    assert reason in labels(tree) and tree["screen"] != "service"
    pull(guest, name)


def test_a_keyboard_plugged_in_is_refused_by_the_kernel_and_typing_changes_nothing(world):
    guest = world["guest"]
    before = guest.latest_tree()
    guest.qmp("device_add", driver="usb-kbd", id="badusb")
    deadline = time.monotonic() + PLUG_TIMEOUT
    while "has a keyboard interface" not in guest.serial_text():
        assert time.monotonic() < deadline, "the keyboard was never judged (serial console)"
        time.sleep(2)
    line = next(x for x in guest.serial_text().splitlines() if "totem-usb: refused" in x)
    assert "0627:0001" in line, line  # QEMU's keyboard shares the tablet's vendor:product
    for key in ("a", "ret", "esc", "tab"):
        for down in (True, False):
            # Keys go to QEMU's one keyboard, the usb-kbd (the tablet takes no keys).
            event = {"down": down, "key": {"type": "qcode", "data": key}}
            guest.qmp("input-send-event", events=[{"type": "key", "data": event}])
    time.sleep(5)
    guest.poll_reports()
    after = guest.latest_tree()  # the kiosk saw nothing: same screen, nothing typed
    assert after["screen"] == before["screen"], after
    assert [w.get("state") for w in after["widgets"] if w["role"] == "textbox"] == [
        w.get("state") for w in before["widgets"] if w["role"] == "textbox"
    ]
    guest.qmp("device_del", id="badusb")


def test_a_replacement_panel_is_refused_until_accepted_in_the_menu(world):
    guest = world["guest"]
    guest.qmp("device_add", driver="usb-tablet", id="panel2")
    deadline = time.monotonic() + PLUG_TIMEOUT
    while "is not pinned" not in guest.serial_text():
        assert time.monotonic() < deadline, "the second tablet was never judged (serial)"
        time.sleep(2)
    plug(guest, "valid", world["sticks"]["valid"])
    menu = next_tree(guest, lambda t: "page-panel" in ids(t), "the service menu", PLUG_TIMEOUT)
    guest.tap(*qemu.centre(ids(menu)["page-panel"]))
    page = next_tree(guest, lambda t: any(i.startswith("accept-") for i in ids(t)),
                     "the refused tablet offered as a panel")  # fmt: skip
    choice = next(i for i in ids(page) if i.startswith("accept-"))
    assert "0627:0001" in labels(page), labels(page)
    guest.tap(*qemu.centre(ids(page)[choice]))
    done = next_tree(guest, lambda t: "acceptée sur le port" in labels(t)
                     or "Dalle non acceptée" in labels(t), "the panel accepted",
                     PLUG_TIMEOUT)  # fmt: skip
    assert "Dalle 0627:0001 acceptée sur le port" in labels(done), labels(done)
    pull(guest, "valid")
    next_tree(guest, lambda t: t.get("screen") != "service", "the menu closed", PLUG_TIMEOUT)
    guest.qmp("device_del", id="panel2")


def test_the_touch_panel_still_works_after_the_sticks(world):
    guest = world["guest"]
    for _ in range(5):
        guest.tap(guest.size[0] // 2, guest.size[1] // 2)
        try:
            next_tree(guest, lambda t: "tile-ideas" in ids(t), "the home screen", 30)
            return
        except AssertionError:
            continue
    raise AssertionError(f"touches no longer reach the kiosk; last tree {guest.latest_tree()}")
