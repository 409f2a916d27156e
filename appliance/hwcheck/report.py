"""The latest hardware report, `data_dir/hwcheck.json`, shared by three processes.

`totem check --write` (run by totem-hwcheck.timer) writes it; the UI reads it to show the
out-of-service screen or a warning banner; sync sends its results with the heartbeat.

- The file is replaced atomically (temporary file, fsync, rename) so a reader never sees
  half a report, even across a power cut.
- It carries the kernel's boot id: a report from before this boot (panel unplugged last
  week) describes other hardware and is not read back; the boot run replaces it seconds
  later. The boot id, not the time: a Pi has no battery clock and may go back in time.
- A data partition that is full or read-only cannot take the very report that says so:
  the report then goes to `/run/totem-hwcheck/` (tmpfs, the service's RuntimeDirectory),
  which `read_report` prefers while it is there.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from appliance.hwcheck.result import FAIL, WARN, CheckResult

REPORT_NAME = "hwcheck.json"
FALLBACK_DIR = Path("/run/totem-hwcheck")
BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


@dataclass(frozen=True)
class Report:
    checked_at: str
    results: tuple[CheckResult, ...]
    boot_id: str | None = None

    @property
    def critical_failures(self) -> list[CheckResult]:
        """Failures that put the kiosk out of service (first one's code goes on screen)."""
        return [r for r in self.results if r.status == FAIL and r.critical]

    @property
    def warnings(self) -> list[CheckResult]:
        """Everything a technician should see but citizens can still be served through."""
        return [r for r in self.results if r.status in (WARN, FAIL) and not r.critical]

    def as_json(self) -> dict:
        return {
            "checked_at": self.checked_at,
            "boot_id": self.boot_id,
            "results": [r.as_json() for r in self.results],
        }


def current_boot_id() -> str | None:
    try:
        return BOOT_ID.read_text(encoding="ascii").strip() or None
    except OSError:
        return None


def write_report(
    data_dir: str | Path,
    results: list[CheckResult],
    checked_at: datetime | None = None,
    boot_id: str | None = None,
    fallback_dir: Path | None = None,
) -> Path:
    """Atomically replace `data_dir/hwcheck.json`; returns the path written.

    With `fallback_dir`, a data directory that refuses the file (read-only, full) gets
    the report written there instead; a successful write removes a fallback copy.
    """
    when = (checked_at or datetime.now(UTC)).astimezone(UTC)
    stamp = when.isoformat(timespec="seconds").replace("+00:00", "Z")
    report = Report(stamp, tuple(results), boot_id or current_boot_id())
    text = json.dumps(report.as_json(), ensure_ascii=False, indent=1) + "\n"
    try:
        target = _write_atomically(Path(data_dir), text)
    except OSError:
        if fallback_dir is None:
            raise
        return _write_atomically(Path(fallback_dir), text)
    if fallback_dir is not None:
        try:
            (Path(fallback_dir) / REPORT_NAME).unlink(missing_ok=True)
        except OSError:
            pass  # not ours to remove (another user's test run): read_report checks boot ids
    return target


def read_report(
    data_dir: str | Path, boot_id: str | None = None, fallback_dir: Path | None = FALLBACK_DIR
) -> Report | None:
    """This boot's last report, or None when there is none yet or it cannot be read."""
    boot_id = boot_id or current_boot_id()
    for directory in (fallback_dir, Path(data_dir)):
        if directory is None:
            continue
        report = _read(directory / REPORT_NAME)
        if report is not None and not (report.boot_id and boot_id and report.boot_id != boot_id):
            return report
    return None


def _read(path: Path) -> Report | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        results = tuple(CheckResult.from_json(item) for item in data["results"])
        return Report(str(data["checked_at"]), results, data.get("boot_id"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        # no report yet, or a disk error: the UI keeps serving rather than guessing
        return None


def _write_atomically(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / REPORT_NAME
    fd, temporary = tempfile.mkstemp(prefix=".hwcheck-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)  # the UI runs as another user than the check
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_dir(directory)
    return target


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
