"""Boot the built image in qemu-system-aarch64 (-M virt, TCG) and talk to it like a person would.

QEMU has no Pi firmware, so this runner plays its part: it reads autoboot.txt on the card's
TOTEMCFG partition, takes kernel, initrd and cmdline.txt from the boot partition it names
(with mtools, no mount), and runs QEMU with `-no-reboot`. When the guest restarts, the
kernel's last console line says how: `reboot: Restarting system with command '0 tryboot'`
starts the `[tryboot]` partition once, any other restart the normal one (`restart()`). The
whole card is one virtio disk and each cmdline.txt names its root by PARTUUID, so the very
file an installer flashes is what boots, slot A or B. The screen is a virtio-gpu of the
configured size, the touch panel a USB tablet (absolute X/Y + BTN_LEFT). The guest's state
arrives on the serial console as `TOTEM-REPORT` lines (totem-console-report.service, started
by `totem.report` on the command line).

`python3 image/qemu.py [IMAGE]` boots it interactively-ish: serial log and QMP socket in build/.
"""

from __future__ import annotations

import json
import lzma
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import layout  # noqa: E402

from appliance.update import autoboot  # noqa: E402  (on the path through layout)

REPORT = "TOTEM-REPORT "
TABLET_MAX = 0x7FFF  # QEMU's absolute axes run 0..32767 across the display
RELAY = Path(__file__).with_name("relay.py")  # one guestfwd connection to the host


class QemuError(Exception):
    pass


def find_image(build: Path) -> Path | None:
    """The newest built image: the .img if present, else the .img.xz."""
    for pattern in ("totem-*-rpi4-arm64.img", "totem-*-rpi4-arm64.img.xz"):
        found = sorted(build.glob(pattern), key=lambda p: p.stat().st_mtime)
        if found:
            return found[-1]
    return None


def disk_copy(image: Path, dest: Path, card_bytes: int) -> Path:
    """A sparse scratch copy of the image, enlarged to `card_bytes` like a bigger card."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    opener = lzma.open if image.suffix == ".xz" else open
    with opener(image, "rb") as src, open(dest, "wb") as out:
        while chunk := src.read(4 * 1024 * 1024):
            if chunk.count(0) == len(chunk):
                out.seek(len(chunk), os.SEEK_CUR)  # keep holes: the image is mostly zeros
            else:
                out.write(chunk)
        out.truncate(max(card_bytes, out.tell()))
    return dest


def fat(disk: Path, partition: str) -> str:
    """mtools' name for a FAT partition of the disk image (`-i disk@@offset`), no mount."""
    placed = next(p for p in layout.place(layout.partitions()) if p.partition.name == partition)
    return f"{disk}@@{placed.offset_bytes}"


def boot_files(disk: Path, dest: Path, partition: str = "boot-a") -> dict[str, Path]:
    """vmlinuz, initrd.img and cmdline.txt copied out of a boot partition with mtools."""
    dest.mkdir(parents=True, exist_ok=True)
    files = {}
    for name in ("vmlinuz", "initrd.img", "cmdline.txt"):
        target = dest / name
        subprocess.run(
            ["mcopy", "-o", "-n", "-i", fat(disk, partition), f"::{name}", str(target)], check=True
        )
        files[name] = target
    return files


def firmware_choice(disk: Path, tryboot: bool) -> str:
    """The boot partition the Pi firmware starts: autoboot.txt as on the card, read by the
    same rules (appliance/update/autoboot.py)."""
    text = subprocess.run(
        ["mtype", "-i", fat(disk, "TOTEMCFG"), "::autoboot.txt"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    number = autoboot.boot_partition(text, tryboot)
    found = [p.name for p in layout.partitions() if p.number == number]
    if not found or not found[0].startswith("boot-"):
        raise QemuError(f"autoboot.txt names partition {number}, which holds no boot files")
    return found[0]


TRYBOOT_LINE = "reboot: Restarting system with command '0 tryboot'"
RESTART_LINE = "reboot: Restarting system"
POWER_OFF_LINE = "reboot: Power down"


def restart_kind(serial: str) -> str:
    """How the guest left, from its console: "tryboot", "restart", "power-off", or
    "crash" (QEMU ended with no kernel farewell: a hard power-off)."""
    tail = serial[-4000:]
    last = max(tail.rfind(line) for line in (TRYBOOT_LINE, RESTART_LINE, POWER_OFF_LINE))
    if last < 0:
        return "crash"
    if tail.startswith(TRYBOOT_LINE, last):
        return "tryboot"
    return "power-off" if tail.startswith(POWER_OFF_LINE, last) else "restart"


def read_config(disk: Path) -> str:
    """The installer's totem.toml as it is on the card's TOTEMCFG partition."""
    return subprocess.run(
        ["mtype", "-i", fat(disk, "TOTEMCFG"), "::totem.toml"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def write_config(disk: Path, text: str) -> None:
    """Replace totem.toml on TOTEMCFG, as an installer editing the card on a PC would."""
    source = disk.parent / "totem.toml"
    source.write_text(text, encoding="utf-8")
    subprocess.run(
        ["mcopy", "-o", "-i", fat(disk, "TOTEMCFG"), str(source), "::totem.toml"], check=True
    )


def qemu_cmdline(boot_cmdline: str) -> str:
    """The slot's cmdline.txt with the serial console moved to the virt machine's PL011."""
    args = [a for a in boot_cmdline.split() if not a.startswith("console=") and a != "quiet"]
    return " ".join(["console=ttyAMA0,115200", *args, "totem.report"])


class Qemu:
    """One running guest: serial log, QMP, reports."""

    def __init__(
        self,
        image: Path,
        workdir: Path,
        size: tuple[int, int] = (1080, 1920),
        card_bytes: int = 4 * 1024**3,
        memory_mib: int = 1536,
        cpus: int = 2,
        touch_panel: bool = True,
        guestfwd: dict[str, int] | None = None,
    ):
        self.workdir = workdir
        self.serial_log = workdir / "serial.log"
        self.qmp_path = workdir / "qmp.sock"
        self.size = size
        workdir.mkdir(parents=True, exist_ok=True)
        for stale in workdir.glob("serial*.log"):  # serial.N.log is the Nth start of this run
            stale.unlink()
        self.disk = disk_copy(image, workdir / "disk.img", card_bytes)
        self.boots: list[str] = []  # boot partition of each start, in order
        self.machine = [
            "qemu-system-aarch64",
            "-M",
            "virt",
            "-accel",
            "tcg,thread=multi",
            "-cpu",
            "cortex-a72",
            "-smp",
            str(cpus),
            "-m",
            str(memory_mib),
            "-drive",
            f"file={self.disk},format=raw,if=none,id=card,cache=unsafe",
            "-device",
            "virtio-blk-pci,drive=card",
            "-device",
            f"virtio-gpu-pci,xres={size[0]},yres={size[1]}",
            "-device",
            "qemu-xhci",
            *(["-device", "usb-tablet"] if touch_panel else []),
            "-netdev",
            # restrict=on: the guest reaches nothing but what guestfwd forwards, each
            # "10.0.2.x:port" of the guest to a port on the host's loopback, a relay per
            # connection (relay.py says why).
            ",".join(
                ["user,id=net0,restrict=on"]
                + [
                    f"guestfwd=tcp:{guest}-cmd:{sys.executable} {RELAY} {port}"
                    for guest, port in (guestfwd or {}).items()
                ]
            ),
            "-device",
            "virtio-net-pci,netdev=net0,romfile=",
            "-chardev",
            f"file,id=serial0,path={self.serial_log}",
            "-serial",
            "chardev:serial0",
            "-qmp",
            f"unix:{self.qmp_path},server=on,wait=off",
            "-display",
            "none",
            "-monitor",
            "none",
            "-nodefaults",
            "-no-user-config",
            # A restart ends QEMU: the runner then plays the firmware (restart()).
            "-no-reboot",
        ]
        self.command: list[str] = []
        self.append = ""
        self.process: subprocess.Popen | None = None
        self._qmp: socket.socket | None = None
        self._qmp_buffer = b""
        self._serial_offset = 0
        self._serial_tail = ""
        self.reports: list[dict] = []
        self.reports_before_start = 0
        self.started_at = 0.0

    def start(self, tryboot: bool = False) -> None:
        """Power on: the firmware's choice of boot partition, then the kernel it holds."""
        partition = firmware_choice(self.disk, tryboot)
        files = boot_files(self.disk, self.workdir / partition, partition)
        self.append = qemu_cmdline(files["cmdline.txt"].read_text())
        self.command = [
            *self.machine,
            "-kernel",
            str(files["vmlinuz"]),
            "-initrd",
            str(files["initrd.img"]),
            "-append",
            self.append,
        ]
        if self.serial_log.exists():  # keep each start's console for the test's report
            self.serial_log.rename(self.workdir / f"serial.{len(self.boots)}.log")
        self.boots.append(partition)
        self.reports_before_start = len(self.reports)
        self.qmp_path.unlink(missing_ok=True)
        self._serial_offset, self._serial_tail = 0, ""
        if self._qmp:
            self._qmp.close()
            self._qmp = None
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            self.command, stdin=subprocess.DEVNULL, stderr=open(self.workdir / "qemu.stderr", "wb")
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            try:
                self.qmp("quit")
            except (OSError, QemuError):
                pass
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._qmp:
            self._qmp.close()
            self._qmp = None

    def wait_exit(self, timeout: float) -> str:
        """Wait for the guest to leave QEMU; how it left (see restart_kind)."""
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise QemuError(f"the guest did not restart within {timeout:.0f} s") from None
        return restart_kind(self.serial_text())

    def restart(self, timeout: float) -> str:
        """After the guest restarted itself: start again as the Pi firmware would (the
        tryboot partition once after `reboot "0 tryboot"`). Returns how it left."""
        kind = self.wait_exit(timeout)
        if kind == "power-off":
            raise QemuError("the guest powered itself off instead of restarting")
        self.start(tryboot=kind == "tryboot")
        return kind

    def power_cut(self) -> None:
        """Pull the plug: QEMU killed at once, nothing flushed by the guest."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    # -- serial console reports ------------------------------------------------------------
    def poll_reports(self) -> list[dict]:
        """New TOTEM-REPORT objects from the serial log since the last call."""
        if not self.serial_log.exists():
            return []
        with open(self.serial_log, "rb") as log:
            log.seek(self._serial_offset)
            data = log.read()
        self._serial_offset += len(data)
        text = self._serial_tail + data.decode("utf-8", "replace")
        lines = text.split("\n")
        self._serial_tail = lines.pop()
        new = []
        for line in lines:
            start = line.find(REPORT)
            if start >= 0:
                try:
                    new.append(json.loads(line[start + len(REPORT) :].strip()))
                except ValueError:
                    continue  # a line mixed with other console output: the next one will do
        self.reports.extend(new)
        return new

    def wait_report(self, predicate, timeout: float, what: str) -> dict:
        """The first report (already seen or new) for which predicate holds."""
        deadline = time.monotonic() + timeout
        for report in self.reports:
            if predicate(report):
                return report
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise QemuError(f"QEMU exited ({self.process.returncode}) while waiting for {what}")
            for report in self.poll_reports():
                if predicate(report):
                    return report
            time.sleep(1)
        raise QemuError(f"no {what} within {timeout:.0f} s (serial log: {self.serial_log})")

    def wait_screen(self, name: str, timeout: float) -> dict:
        report = self.wait_report(
            lambda r: r.get("event") == "a11y" and r["tree"].get("screen") == name,
            timeout,
            f"'{name}' screen",
        )
        return report["tree"]

    def drawn_since_start(self) -> bool:
        """The UI of this start has drawn a frame (its accessibility tree was reported)."""
        self.poll_reports()
        return any(r.get("event") == "a11y" for r in self.reports[self.reports_before_start :])

    def latest_tree(self) -> dict | None:
        trees = [r["tree"] for r in self.reports if r.get("event") == "a11y"]
        return trees[-1] if trees else None

    # -- QMP ------------------------------------------------------------------------------
    def qmp(self, command: str, **arguments) -> dict:
        if self._qmp is None:
            self._qmp = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self._qmp.settimeout(60)
            self._qmp.connect(str(self.qmp_path))
            self._qmp_read()  # greeting
            self._qmp_send("qmp_capabilities", {})
        return self._qmp_send(command, arguments)

    def _qmp_send(self, command: str, arguments: dict) -> dict:
        message = {"execute": command}
        if arguments:
            message["arguments"] = arguments
        self._qmp.sendall(json.dumps(message).encode() + b"\n")
        while True:
            reply = self._qmp_read()
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise QemuError(f"QMP {command}: {reply['error'].get('desc')}")

    def _qmp_read(self) -> dict:
        while b"\n" not in self._qmp_buffer:
            chunk = self._qmp.recv(65536)
            if not chunk:
                raise QemuError("QMP connection closed")
            self._qmp_buffer += chunk
        line, self._qmp_buffer = self._qmp_buffer.split(b"\n", 1)
        return json.loads(line)

    def screendump(self, path: Path) -> Path:
        self.qmp("screendump", filename=str(path), format="png")
        return path

    def tap(self, x: int, y: int, hold: float = 0.15) -> None:
        """A finger down and up at screen pixel (x, y), through the USB tablet."""
        ax = round(x * TABLET_MAX / (self.size[0] - 1))
        ay = round(y * TABLET_MAX / (self.size[1] - 1))
        self.qmp(
            "input-send-event",
            events=[
                {"type": "abs", "data": {"axis": "x", "value": ax}},
                {"type": "abs", "data": {"axis": "y", "value": ay}},
            ],
        )
        self.qmp(
            "input-send-event", events=[{"type": "btn", "data": {"down": True, "button": "left"}}]
        )
        time.sleep(hold)
        self.qmp(
            "input-send-event", events=[{"type": "btn", "data": {"down": False, "button": "left"}}]
        )

    def serial_text(self) -> str:
        return self.serial_log.read_text("utf-8", "replace") if self.serial_log.exists() else ""


def widget(tree: dict, widget_id: str) -> dict:
    for item in tree.get("widgets", []):
        if item.get("id") == widget_id:
            return item
    raise QemuError(f"no widget {widget_id!r} on screen {tree.get('screen')!r}")


def centre(item: dict) -> tuple[int, int]:
    x, y, w, h = item["rect"]
    return x + w // 2, y + h // 2


def main(argv: list[str]) -> int:
    build = Path(__file__).resolve().parent.parent / "build"
    image = Path(argv[0]) if argv else find_image(build)
    if image is None:
        print("no image in build/: run `make image` first", file=sys.stderr)
        return 1
    if shutil.which("qemu-system-aarch64") is None:
        print("qemu-system-aarch64 is missing: apt-get install qemu-system-arm", file=sys.stderr)
        return 1
    guest = Qemu(image, build / "qemu")
    guest.start()
    print(f"booting {image.name}; serial: {guest.serial_log}; QMP: {guest.qmp_path}")
    try:
        ready = guest.wait_report(lambda r: r.get("event") == "ui-ready", 1800, "UI ready")
        print(json.dumps(ready))
        guest.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        guest.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
