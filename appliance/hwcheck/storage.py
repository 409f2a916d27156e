"""Storage: the read-only root, room on the data partition, kernel I/O errors, card wear.

A full or read-only data partition is critical: the outbox can no longer keep what
citizens submit, so the kiosk must stop taking submissions rather than lose them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from appliance.hwcheck.context import CheckContext
from appliance.hwcheck.result import CheckResult, fail, ok, skip, warn

FULL_BYTES = 32 * 1024 * 1024  # below this SQLite may fail mid-transaction
LOW_FRACTION = 0.10
FULL_INODES = 64
# Lines that mean the card lost data or is dying; not the harmless probe errors of an
# empty SD slot or the Wi-Fi's SDIO bus ("error -110 whilst initialising").
IO_ERROR = re.compile(
    r"\bI/O error|EXT4-fs error|critical medium error|"
    r"mmcblk\d+: recovery failed|mmc\d+: Timeout waiting for hardware interrupt",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mount:
    device: str
    point: str
    fstype: str
    options: frozenset[str]

    @property
    def read_only(self) -> bool:
        return "ro" in self.options


@dataclass(frozen=True)
class Space:
    total_bytes: int
    free_bytes: int
    total_inodes: int
    free_inodes: int


def parse_mounts(text: str) -> list[Mount]:
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 4:
            point = fields[1].replace("\\040", " ")
            mounts.append(Mount(fields[0], point, fields[2], frozenset(fields[3].split(","))))
    return mounts


def mount_of(mounts: list[Mount], path: str) -> Mount | None:
    """The mount holding `path`: the longest matching mount point, the last one mounted."""
    best = None
    for mount in mounts:
        prefix = mount.point.rstrip("/") + "/"
        if (path == mount.point or path.startswith(prefix) or mount.point == "/") and (
            best is None or len(mount.point) >= len(best.point)
        ):
            best = mount
    return best


def evaluate_root(root: Mount | None) -> CheckResult:
    if root is None:
        return skip("storage.root", "Montages inconnus.", "Mounts unknown.")
    details = {"device": root.device, "fstype": root.fstype}
    if root.read_only or root.fstype in ("squashfs", "erofs"):
        return ok(
            "storage.root", "Système en lecture seule.", "Root file system read-only.", **details
        )
    return warn(
        "storage.root",
        "W-ROOT-RW",
        "Le système est monté en écriture.",
        "The root file system is mounted read-write.",
        **details,
    )


def evaluate_data(mount: Mount | None, space: Space | None, data_dir: str) -> CheckResult:
    details: dict = {"path": data_dir}
    if mount is not None:
        details.update(device=mount.device, mount=mount.point)
        if mount.read_only:
            return fail(
                "storage.data",
                "E-DATA-RO",
                "La partition de données est en lecture seule.",
                "The data partition is read-only.",
                critical=True,
                **details,
            )
    if space is None:
        return skip("storage.data", "Espace libre inconnu.", "Free space unknown.", **details)
    details.update(
        free_bytes=space.free_bytes,
        total_bytes=space.total_bytes,
        free_inodes=space.free_inodes,
        total_inodes=space.total_inodes,
    )
    free_mb = space.free_bytes // (1024 * 1024)
    inodes_out = space.total_inodes > 0 and space.free_inodes < FULL_INODES
    if space.free_bytes < FULL_BYTES or inodes_out:
        return fail(
            "storage.data",
            "E-DATA-FULL",
            f"La partition de données est pleine ({free_mb} Mo libres).",
            f"The data partition is full ({free_mb} MB free).",
            critical=True,
            **details,
        )
    if (
        space.total_bytes
        and space.free_bytes < LOW_FRACTION * space.total_bytes
        or (space.total_inodes and space.free_inodes < LOW_FRACTION * space.total_inodes)
    ):
        return warn(
            "storage.data",
            "W-DATA-LOW",
            f"Peu de place sur la partition de données ({free_mb} Mo libres).",
            f"Little room left on the data partition ({free_mb} MB free).",
            **details,
        )
    return ok(
        "storage.data",
        f"Partition de données : {free_mb} Mo libres.",
        f"Data partition: {free_mb} MB free.",
        **details,
    )


def disk_of(device: str) -> str | None:
    """The whole disk of a partition node: /dev/mmcblk0p6 → mmcblk0, /dev/vda6 → vda."""
    if not device.startswith("/dev/"):
        return None  # tmpfs, overlay: no disk of ours
    name = device.removeprefix("/dev/")
    match = re.fullmatch(r"(mmcblk\d+|nvme\d+n\d+)(?:p\d+)?|([a-z]+)\d*", name)
    if not match or name == "root":  # /dev/root: the kernel's alias, not a node
        return None
    return match.group(1) or match.group(2)


def io_error_lines(kernel_log: str, disks: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Error lines about the totem's own storage (`disks`; any disk when none is known):
    a technician's USB stick failing is not the card failing."""
    lines = [line.strip() for line in kernel_log.splitlines() if IO_ERROR.search(line)]
    if not disks:
        return lines
    own = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(disks))) + r")|\bmmc\d+:")
    return [line for line in lines if own.search(line)]


def evaluate_io_errors(lines: list[str]) -> CheckResult:
    if not lines:
        return ok("storage.errors", "Aucune erreur d'entrée/sortie.", "No I/O errors.")
    return fail(
        "storage.errors",
        "E-IO",
        f"{len(lines)} erreur(s) d'entrée/sortie dans le journal du noyau. Remplacer la carte.",
        f"{len(lines)} I/O error(s) in the kernel log. Replace the card.",
        count=len(lines),
        last=lines[-5:],
    )


def decode_life_time(value: str) -> int | None:
    """eMMC DEVICE_LIFE_TIME_EST: 0x01 = 0–10 % used … 0x0A = 90–100 %, 0x0B = exceeded."""
    try:
        return int(value, 16)
    except ValueError:
        return None


def evaluate_wear(cards: dict[str, dict[str, str]]) -> CheckResult:
    if not cards:
        return skip(
            "storage.wear",
            "La carte n'indique pas son usure.",
            "The card does not report its wear.",
        )
    worst_used, worst_eol = 0, 1
    for card in cards.values():
        for estimate in card.get("life_time", "").split():
            worst_used = max(worst_used, decode_life_time(estimate) or 0)
        worst_eol = max(worst_eol, decode_life_time(card.get("pre_eol_info", "0x01")) or 1)
    if worst_used >= 0x0B:
        used, used_en = "durée de vie dépassée", "life time exceeded"
    elif worst_used == 0:  # 0x00: the card gives no estimate
        used, used_en = "non estimée", "no estimate"
    else:
        span = f"{(worst_used - 1) * 10}–{worst_used * 10} %"
        used, used_en = f"{span} utilisés", f"{span} used"
    details = {"cards": cards, "worst_life_time": worst_used, "pre_eol_info": worst_eol}
    if worst_eol >= 3 or worst_used >= 0x0A:
        return fail(
            "storage.wear",
            "E-WEAR",
            f"Carte mémoire usée ({used}). Remplacer la carte.",
            f"Storage worn out ({used_en}). Replace the card.",
            **details,
        )
    if worst_eol == 2 or worst_used >= 0x08:
        return warn(
            "storage.wear",
            "W-WEAR",
            f"Carte mémoire en fin de vie ({used}).",
            f"Storage nearing its end of life ({used_en}).",
            **details,
        )
    return ok(
        "storage.wear",
        f"Usure de la carte mémoire : {used}.",
        f"Storage wear: {used_en}.",
        **details,
    )


def read_mounts(ctx: CheckContext) -> list[Mount] | None:
    text = ctx.sysroot.read("proc/self/mounts") or ctx.sysroot.read("proc/mounts")
    return parse_mounts(text) if text else None


def read_space(ctx: CheckContext, path: str) -> Space | None:
    if not ctx.live:
        recorded = ctx.sysroot.read_json("statvfs.json") or {}
        entry = recorded.get(path)
        return Space(**entry) if entry else None
    try:
        st = os.statvfs(path)
    except OSError:
        return None
    # f_bavail: what an unprivileged writer (the UI) can still use
    return Space(st.f_blocks * st.f_frsize, st.f_bavail * st.f_frsize, st.f_files, st.f_favail)


def read_kernel_log(ctx: CheckContext) -> str | None:
    if not ctx.live:
        return ctx.sysroot.recorded("dmesg")
    try:
        fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    records = []
    try:
        while True:
            try:
                record = os.read(fd, 8192)
            except BlockingIOError:
                break
            except BrokenPipeError:
                continue  # the oldest record was overwritten while reading: go on
            if not record:
                break
            records.append(record.decode("utf-8", "replace").split(";", 1)[-1])
    except OSError:
        return None
    finally:
        os.close(fd)
    return "".join(records)


def check_root(ctx: CheckContext) -> CheckResult:
    mounts = read_mounts(ctx)
    return evaluate_root(mount_of(mounts, "/") if mounts else None)


def check_data(ctx: CheckContext) -> CheckResult:
    mounts = read_mounts(ctx) or []
    data = ctx.data_path()
    mount = mount_of(mounts, data)
    space = read_space(ctx, data)
    if space is None and mount is not None:
        space = read_space(ctx, mount.point)
    return evaluate_data(mount, space, data)


def check_io_errors(ctx: CheckContext) -> CheckResult:
    log = read_kernel_log(ctx)
    if log is None:
        return skip(
            "storage.errors",
            "Journal du noyau illisible.",
            "Kernel log not readable (needs CAP_SYSLOG).",
        )
    mounts = read_mounts(ctx) or []
    devices = [mount_of(mounts, "/"), mount_of(mounts, ctx.data_path())]
    disks = {disk for m in devices if m is not None and (disk := disk_of(m.device))}
    return evaluate_io_errors(io_error_lines(log, disks))


def check_wear(ctx: CheckContext) -> CheckResult:
    cards: dict[str, dict[str, str]] = {}
    for card in ctx.sysroot.glob("sys/bus/mmc/devices/*"):
        fields = {}
        for name in ("life_time", "pre_eol_info", "name", "type"):
            value = ctx.sysroot.read(f"{card}/{name}")
            if value is not None:
                fields[name] = value.strip()
        if "life_time" in fields or "pre_eol_info" in fields:
            cards[card.name] = fields
    return evaluate_wear(cards)
