"""The update hook of `totem sync`: take an offered release, download it, say how it went.

After each heartbeat the hub may offer a release (wire/release.py). The agent checks the
offer (offer.py), downloads and verifies the bundle (download.py) into the data partition,
hands it to RAUC (rauc.py), then asks for the restart into it when the maintenance window
allows (trial.py). It keeps its status in `update/status.json` there, which the next
heartbeat carries to the hub (`update`) and `totem update status` shows. A refused or failed
release is reported with its reason; a download that failed is tried again when the hub
offers the release again, a bundle RAUC refused is not.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from appliance.durable import write_atomically
from appliance.update import download, offer, rauc, version
from appliance.update.backend import RESULT
from appliance.update.download import DownloadFailed, Fetcher
from wire.release import VersionError, parse_version

STATUS = "status.json"
# States in which an offer of the same release changes nothing: under way, refused by RAUC
# itself, or given up after its trial restart. The same bundle would end the same way: it is
# not fetched and written again at every heartbeat (hundreds of MB each time, and the card's
# wear) while the hub still offers it. A download that failed is tried again.
SETTLED = ("downloaded", "installing", "installed", "rejected", "given-up")
Installer = Callable[[Path], None]


class Updater:
    def __init__(
        self,
        data_dir: Path,
        content_key: Ed25519PublicKey,
        running: str | None = None,
    ) -> None:
        self.directory = Path(data_dir) / "update"
        self.bundles = self.directory / "bundles"
        self.content_key = content_key
        self.running = running or version.running()

    # What the heartbeat says ---------------------------------------------------------

    def status(self) -> dict[str, Any]:
        try:
            value = json.loads((self.directory / STATUS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            value = {}
        return value if isinstance(value, dict) else {}

    def report(self) -> dict[str, Any]:
        """The status, and the last boot outcome (a rollback and why) when there is one."""
        report: dict[str, Any] = {"running": self.running, **self.status()}
        try:
            last = json.loads((self.directory / RESULT).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            last = None
        if isinstance(last, dict) and isinstance(last.get("result"), str):
            report["result"] = last["result"]
            report["result_reason"] = str(last.get("reason", ""))
        if report.get("offered") == self.running and report.get("state") == "installed":
            report["state"] = "running"  # the trial start of that release happened
        return report

    # What the hub's answer starts ----------------------------------------------------

    def take(self, answer: dict[str, Any], fetcher: Fetcher) -> dict[str, Any]:
        """Act on a heartbeat's answer; the status afterwards."""
        offered = answer.get("release")
        if offered is None:
            return self.status()
        name = _offered_version(offered)
        # Only a well-formed version names a file: the offer is not verified yet.
        partial = download.have(self.bundles, name) if name != "?" else 0
        self.directory.mkdir(parents=True, exist_ok=True)
        try:
            free = shutil.disk_usage(self.directory).free
            manifest = offer.accepted(offered, self.content_key, self.running, free, partial)
        except offer.UpdateRefused as error:
            return self._set(state="refused", offered=name, reason=str(error))
        current = self.status()
        if current.get("offered") == name and current.get("state") in SETTLED:
            return current  # this release is on its way already, or was refused by RAUC
        self._set(state="downloading", offered=manifest["version"])
        try:
            bundle = download.download(fetcher, manifest, self.bundles)
        except DownloadFailed as error:
            return self._set(state="failed", offered=manifest["version"], reason=str(error))
        return self._set(state="downloaded", offered=manifest["version"], bundle=str(bundle))

    def install(self, installer: Installer) -> dict[str, Any]:
        """Hand a downloaded bundle to RAUC; the status afterwards.

        A power cut while RAUC writes leaves "installing" and the bundle in place: the next
        pass installs it again from the start (the slot written is not the running one).
        """
        status = self.status()
        if status.get("state") not in ("downloaded", "installing"):
            return status
        offered, bundle = status.get("offered", "?"), Path(str(status.get("bundle", "")))
        if not bundle.is_file():
            return self._set(state="failed", offered=offered, reason="the bundle disappeared")
        self._set(state="installing", offered=offered, bundle=str(bundle))
        try:
            installer(bundle)
        except rauc.InstallFailed as error:
            bundle.unlink(missing_ok=True)
            return self._set(state="rejected", offered=offered, reason=str(error))
        bundle.unlink(missing_ok=True)  # the slot holds it now; the space is the outbox's
        return self._set(state="installed", offered=offered)

    def restart_due(self, may_restart: bool) -> bool:
        """An installed release waits for its trial start, and now is a good time."""
        status = self.status()
        installed = status.get("state") == "installed" and status.get("offered") != self.running
        return installed and may_restart

    def trial_not_started(self) -> dict[str, Any]:
        """The totem restarted for the trial and came back on the old slot with no trial
        recorded: reported, and not tried again (no restart for it, no new download while
        the hub offers it; a newer release is taken as usual). Two causes look the same from
        here: a firmware that ignored tryboot (a kernel that cannot pass it), or a power cut
        in the first seconds of the trial start, before it was recorded (the firmware's tryboot
        flag does not outlive the cut)."""
        offered = self.status().get("offered", "?")
        reason = (
            f"release {offered} did not start on trial after its tryboot restart: the power "
            "was cut during that start, or the firmware ignored tryboot (this kernel may not "
            "pass it)"
        )
        return self._set(state="given-up", offered=offered, reason=reason)

    def _set(self, **fields: Any) -> dict[str, Any]:
        return set_status(self.directory, **fields)


def set_status(directory: Path, **fields: Any) -> dict[str, Any]:
    """The update status the heartbeat carries; also written by an install from a
    technician's stick (appliance/service/install.py), so the hub hears of it too."""
    status = {**fields, "at": datetime.now(UTC).isoformat(timespec="seconds")}
    directory.mkdir(parents=True, exist_ok=True)
    write_atomically(directory / STATUS, json.dumps(status, ensure_ascii=False).encode())
    return status


def _offered_version(offered: Any) -> str:
    """The offered release's version as a file name may hold it, or "?"."""
    manifest = offered.get("manifest") if isinstance(offered, dict) else None
    name = manifest.get("version") if isinstance(manifest, dict) else None
    try:
        return str(parse_version(str(name)))
    except VersionError:
        return "?"
