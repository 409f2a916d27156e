"""A release installed from the technician's stick (I/O): the `.raucb` at the stick's root,
through RAUC like a release the hub offered.

The kiosk asks (service/errands.py, `update-requested`); `totem-service-install.path`
runs `totem dongle install` as the UI's user with the stick's device, which:

1. finds the one `*.raucb` at the stick's root (mtools, no mount, like the token);
2. copies it onto the data partition, at most MAX_BUNDLE_BYTES and never into the space
   kept for the outbox (a stick pulled out or hanging mid-copy is an error, not a crash);
3. has RAUC read its signature and version (`rauc info`): a bundle not signed for this
   totem, made for another kind of totem, or not newer than the running release is
   refused here, with RAUC's reason; RAUC's pre-install handler refuses the last two
   again whoever installs;
4. installs it through RAUC's D-Bus service into the slots not running (rauc.py), and
   records it in the update status the heartbeat carries, so the hub knows; the totem
   starts it on trial at the restart the technician asks for (trial.py), or at the sync's
   next maintenance window.

Each step's progress and the outcome go to the kiosk (`/run/totem/service/install.json`)
and the outcome to the audit log. The copy is removed whatever happens.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from appliance.said import Said
from appliance.service import audit, errands
from appliance.service.stick import MTOOLS_ENV, StickError, run_mtools
from appliance.update import rauc, version
from appliance.update.backend import older_refusal

REQUEST = errands.INSTALL_REQUEST
RESULT = errands.INSTALL_RESULT
SUFFIX = ".raucb"
MAX_BUNDLE_BYTES = 1 << 30  # a release is about 300 MB today
RESERVE_BYTES = 256 << 20  # left free on the data partition for the outbox
STALL_SECONDS = 30  # a stick that sends nothing for this long is treated as pulled out
CHUNK = 1 << 20
REPORT_SECONDS = 1.0  # how often the progress is rewritten for the kiosk


class NotInstalled(Exception):
    def __init__(self, said: Said):
        super().__init__(said.en)
        self.said = said


def run(
    data_dir: Path,
    result_file: Path,
    *,
    keyring: Path | None = None,
    running: str | None = None,
) -> dict:
    """Carry out the pending request, if any; the outcome written and returned.

    `keyring` replaces system.conf's for `rauc info` (a PC has no system.conf)."""
    data_dir = Path(data_dir)
    try:
        visit, device = errands.take(data_dir, REQUEST)
    except ValueError as error:
        said = Said(f"no install asked ({error})", f"aucune installation demandée ({error})")
        return {"ok": False, "state": "failed", "reason": said.as_json()}
    report = _Reporter(result_file, visit)
    bundle = data_dir / "update" / f"stick{SUFFIX}"  # one install at a time: one name
    try:
        name = find_bundle(device)
        report("copying", name=name, done_mb=0)
        copy(
            device,
            name,
            bundle,
            _room(bundle.parent),
            lambda n: report("copying", name=name, done_mb=n >> 20),
        )
        report("checking", name=name)
        release = check(bundle, keyring, running or version.running())
        if not rauc.available():
            raise NotInstalled(
                _said(
                    "RAUC is not set up here (not a totem)",
                    "RAUC n'est pas installé ici (pas une borne)",
                )
            )
        report("installing", name=name, version=release, percent=0)
        _install(bundle, lambda p: report("installing", name=name, version=release, percent=p))
    except NotInstalled as error:
        outcome = {"visit": visit, "ok": False, "state": "failed", "reason": error.said.as_json()}
        audit.record(
            data_dir, "stick-install-failed", visit=visit, device=device.name, reason=error.said.en
        )
    else:
        from appliance.update.agent import set_status  # (cryptography: not at the kiosk's start)

        set_status(data_dir / "update", state="installed", offered=release, source="stick")
        outcome = {"visit": visit, "ok": True, "state": "installed", "version": release}
        audit.record(
            data_dir,
            "stick-install-done",
            visit=visit,
            device=device.name,
            release=release,
            bundle=name,
        )
    finally:
        bundle.unlink(missing_ok=True)
    report.final(outcome)
    return outcome


def find_bundle(device: Path) -> str:
    """The name of the one *.raucb at the stick's root."""
    try:
        listing = run_mtools(["mdir", "-b", "-i", str(device), "::"], MTOOLS_ENV)
    except StickError as error:
        raise NotInstalled(
            Said(f"not installed: {error.said.en}", f"non installée : {error.said.fr}")
        ) from None
    names = [line.rsplit("/", 1)[-1] for line in listing.decode("utf-8", "replace").splitlines()]
    bundles = sorted(n for n in names if n.lower().endswith(SUFFIX) and _plain(n))
    if not bundles:
        raise NotInstalled(
            _said(
                f"no {SUFFIX} file at the stick's root",
                f"pas de fichier {SUFFIX} à la racine de la clé",
            )
        )
    if len(bundles) > 1:
        listed = ", ".join(bundles[:4])
        raise NotInstalled(
            _said(
                f"several {SUFFIX} files on the stick ({listed}): leave one",
                f"plusieurs fichiers {SUFFIX} sur la clé ({listed}) : n'en laisser qu'un",
            )
        )
    return bundles[0]


def _plain(name: str) -> bool:
    # mtools takes the name as a pattern: nothing but plain characters is passed on.
    return len(name) <= 128 and all(c.isalnum() or c in "._-+~ " for c in name)


def copy(device: Path, name: str, dest: Path, limit: int, progress: Callable[[int], None]) -> int:
    """`name` off the stick into `dest`, at most `limit` bytes; the bytes copied."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    command = ["mtype", "-i", str(device), f"::{name}"]
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=MTOOLS_ENV, close_fds=True
        )
    except OSError as error:
        raise NotInstalled(
            _said(f"mtools cannot run: {error}", f"mtools ne démarre pas : {error}")
        ) from None
    # A stick that hangs blocks the read: the watchdog kills mtools when nothing came for
    # STALL_SECONDS, and the read ends.
    last = [time.monotonic()]
    done = threading.Event()
    stalled = threading.Event()

    def watch() -> None:
        while not done.wait(1.0):
            if time.monotonic() - last[0] > STALL_SECONDS:
                stalled.set()
                process.kill()
                return

    watchdog = threading.Thread(target=watch, name="stick-copy", daemon=True)
    watchdog.start()
    copied, too_big = 0, False
    try:
        with open(dest, "wb") as out:
            while chunk := process.stdout.read(CHUNK):
                last[0] = time.monotonic()
                copied += len(chunk)
                if copied > limit:
                    too_big = True
                    process.kill()
                    break
                out.write(chunk)
                progress(copied)
            out.flush()
            os.fsync(out.fileno())
        errors = process.stderr.read(4096)
        process.wait()
    except OSError as error:
        process.kill()
        raise NotInstalled(
            _said(f"the copy failed: {error}", f"la copie a échoué : {error}")
        ) from None
    finally:
        done.set()
        process.stdout.close()
        process.stderr.close()
    if too_big:
        raise NotInstalled(
            _said(
                f"{name} is over {limit >> 20} MB (or the data partition has no room for it)",
                f"{name} dépasse {limit >> 20} Mo (ou la partition de données n'a pas la place)",
            )
        )
    if stalled.is_set():
        raise NotInstalled(
            _said(
                "the stick stopped answering during the copy",
                "la clé ne répond plus pendant la copie",
            )
        )
    if process.returncode != 0:
        lines = errors.decode("utf-8", "replace").strip().splitlines()
        why = lines or [f"exit {process.returncode}"]
        raise NotInstalled(
            _said(f"{name} cannot be read ({why[-1]})", f"{name} illisible ({why[-1]})")
        )
    return copied


def check(bundle: Path, keyring: Path | None, running: str) -> str:
    """RAUC's reading of the bundle (signature, then manifest): its version, if newer."""
    command = ["rauc", "info", "--output-format=json", str(bundle)]
    if keyring is not None:
        command[2:2] = [f"--keyring={keyring}"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise NotInstalled(
            _said(
                f"RAUC cannot read the bundle: {error}",
                f"RAUC ne peut pas lire le fichier : {error}",
            )
        ) from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        # RAUC's own progress lines ("rauc-Message: …") are not the reason.
        reasons = [line for line in lines if not line.startswith("rauc-Message")] or lines
        why = rauc.explain(reasons[-1] if reasons else "")
        raise NotInstalled(_said(why, why))
    try:
        release = str(json.loads(done.stdout.decode("utf-8"))["version"])
    except (ValueError, KeyError, TypeError):
        raise NotInstalled(
            _said("the bundle names no version", "le fichier n'indique pas de version")
        ) from None
    refusal = older_refusal(release, running)
    if refusal:
        raise NotInstalled(
            _said(
                refusal,
                f"la version {release} n'est pas plus récente que "
                f"celle de la borne ({running}) : refusée",
            )
        )
    return release


def _install(bundle: Path, progress: Callable[[int], None]) -> None:
    try:
        rauc.install(bundle, lambda percent, _message: progress(percent))
    except rauc.InstallFailed as error:
        raise NotInstalled(_said(str(error), str(error))) from None


def _room(directory: Path) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(directory).free - RESERVE_BYTES
    return max(0, min(MAX_BUNDLE_BYTES, free))


def _said(en: str, fr: str) -> Said:
    return Said(f"not installed: {en}", f"non installée : {fr}")


class _Reporter:
    """The progress for the kiosk, rewritten at most every REPORT_SECONDS."""

    def __init__(self, path: Path, visit: str):
        self.path, self.visit, self.at = path, visit, 0.0
        self.state = ""

    def __call__(self, state: str, **fields) -> None:
        now = time.monotonic()
        if state == self.state and now - self.at < REPORT_SECONDS:
            return
        self.state, self.at = state, now
        self._write({"visit": self.visit, "ok": None, "state": state, **fields})

    def final(self, outcome: dict) -> None:
        self._write(outcome)

    def _write(self, value: dict) -> None:
        try:
            errands.answer(self.path, value)
        except OSError:
            pass  # the progress is for the screen; the outcome also goes to the audit log
