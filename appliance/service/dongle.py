"""A stick plugged into the totem, read and judged as a service dongle (I/O).

udev starts `totem-dongle@<dev>.service` (root, sandboxed) for every USB block device
that carries a filesystem; it runs `totem dongle read <dev>`, which lands here:

1. the token is read with mtools straight off the block device — no kernel mount, so
   nothing on the stick is ever executed, followed or opened as a filesystem the kernel
   parses for us; only FAT (FAT12/16/32) is read, anything else is refused with a reason;
2. it is checked against the service keys this totem trusts (`[service] keys` in
   totem.toml and those of the hub's signed content), the serials the town hall revoked,
   and a clock that never goes back (`clock.trusted_now`);
3. the verdict goes to the kiosk (`visit.STATE_FILE`) and to the audit log.

The unit then ends. When the stick is pulled out the kiosk sees its device leave sysfs
(`present`) and closes the menu.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from appliance.durable import write_atomically
from appliance.said import Said
from appliance.service import audit, clock
from appliance.service.stick import StickError, read_block_device
from appliance.service.visit import OPEN, REFUSED, Visit, encode
from wire.servicetoken import Refused, check

DEVICE_NAME = re.compile(r"(sd[a-z]{1,2}|mmcblk[0-9]+p|nvme[0-9]+n[0-9]+p)[0-9]{0,3}", re.ASCII)


@dataclass(frozen=True)
class Trust:
    """What a token is checked against on this totem."""

    kiosk_id: str
    site: str
    keys: tuple[str, ...]  # base64 Ed25519 public keys
    revoked: frozenset[str]


def trust(config, data_dir: Path | None) -> Trust:
    """The config's kiosk, site and service keys, plus the keys and revocations of the hub's
    signed content as the sync verified and kept it in `data_dir`. Without a config (a
    broken totem.toml, when a technician is needed most) the kiosk is the one the hub
    enrolled, and only the hub's keys are trusted."""
    from appliance.content import load_content
    from appliance.sync.enrolment import load_enrolment

    keys: list[str] = list(config.service["keys"]) if config else []
    revoked: set[str] = set()
    if data_dir is not None:
        service = load_content(data_dir).get("service", {})
        keys += service.get("keys", [])
        revoked = set(service.get("revoked", []))
    kiosk, site = (config.site["kiosk_id"], config.site["name"]) if config else ("", "")
    enrolled = load_enrolment(data_dir) if data_dir is not None and not config else None
    kiosk = enrolled.kiosk_id if enrolled else kiosk
    return Trust(kiosk, site, tuple(keys), frozenset(revoked))


def judge(data: bytes, trusted: Trust, now: datetime):
    """The token in `data` if it opens this totem; Refused otherwise (also for bad keys)."""
    from wire.protocol import load_public_key

    keys = []
    for text in trusted.keys:
        try:
            keys.append(load_public_key(text))
        except ValueError:
            continue  # a damaged key opens nothing; the others still may
    return check(data, keys, trusted.kiosk_id, trusted.site, now, trusted.revoked)


def examine(device: Path, trusted: Trust, data_dir: Path, now: datetime | None = None) -> Visit:
    """Read and judge the stick on `device`: the visit to tell the kiosk (audited)."""
    name = device_name(device)
    when = now or clock.trusted_now(data_dir)
    visit_id = secrets.token_hex(6)
    try:
        token = judge(read_block_device(device), trusted, when)
    except StickError as error:
        visit = Visit(visit_id, REFUSED, name, code="stick", reason=error.said)
    except Refused as refusal:
        visit = Visit(
            visit_id, REFUSED, name, code=refusal.code, reason=Said(refusal.en, refusal.fr)
        )
    else:
        expires = token.expires.strftime("%Y-%m-%dT%H:%M:%SZ")
        visit = Visit(visit_id, OPEN, name, token.technician, token.serial, expires)
    details = {"visit": visit.visit, "device": name, "technician": visit.technician or None,
               "serial": visit.serial or None, "code": visit.code or None,
               "reason": visit.reason.en or None}  # fmt: skip
    audit.record(data_dir, "dongle-accepted" if visit.opens else "dongle-refused", **details)
    return visit


def publish(visit: Visit, state_file: Path) -> bool:
    """Tell the kiosk; False when a menu is open for another stick still plugged: that
    menu stays (a second stick must not take the place of the dongle that opened it,
    whose removal would then close nothing). The verdict is in the audit log either way."""
    from appliance.service.visit import parse

    try:
        current = parse(state_file.read_bytes())
    except OSError:
        current = None
    if current and current.opens and current.device != visit.device and present(current.device):
        return False
    state_file.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(state_file, encode(visit))
    return True


def present(device: str) -> bool:
    """The stick named in a verdict is still plugged (sysfs, which every unit sees)."""
    if device.startswith("/"):  # a stick's image (a PC, the tests)
        return Path(device).exists()
    return (Path("/sys/class/block") / device).exists()


def device_name(device: Path) -> str:
    """How a verdict names its stick: `sda1` for /dev/sda1, an image's whole path."""
    return device.name if device.parent == Path("/dev") else str(device)


def device_path(name: str) -> Path:
    """/dev/NAME for a block device name udev gave (sda1), or an absolute path as it is (a
    stick's image, for a technician's PC and the tests); ValueError for anything else."""
    if name.startswith("/") and not name.startswith("/dev/"):
        return Path(name)
    name = name.removeprefix("/dev/")
    if not DEVICE_NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a USB block device name")
    return Path("/dev") / name
