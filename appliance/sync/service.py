"""The sync loop: enrol once, then deliver the outbox, pull content and send heartbeats.

`SyncService.run_once()` does one full pass and says whether the outbox is empty;
`run_forever()` repeats it, waiting for new submissions and backing off (exponentially,
with jitter, up to 15 minutes) while the hub fails. A submission is marked sent only from
the hub's own per-item answer, so a crash or a lost answer at any moment leaves it
pending and it is uploaded again; the hub recognises it by id ("duplicate").
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from appliance.config import Config
from appliance.service import audit, clock
from appliance.store import Outbox
from appliance.sync.backoff import Backoff
from appliance.sync.client import DEFAULT_TIMEOUT, HubClient, HubRefused, HubUnavailable
from appliance.sync.content import ContentRefused, cached_etag, store_content, verified_content
from appliance.sync.devicekey import ensure_device_key
from appliance.sync.enrolment import Enrolment, load_enrolment, save_enrolment
from appliance.update import backend, rauc, trial, version, window
from appliance.update.agent import Updater
from wire.protocol import load_public_key, public_key_b64

log = logging.getLogger("totem.sync")

BATCH_SIZE = 100  # the hub's limit per upload
HWCHECK_FILENAME = "hwcheck.json"
SCREEN_FILE = Path("/run/totem/a11y.json")  # written by the UI (totem-ui.service)


class EnrolmentRefused(HubRefused):
    """The hub refused the enrolment token (already used, or unknown)."""


@dataclass(frozen=True)
class Timing:
    """How often the loop does what; tests shorten these."""

    idle_poll: float = 2.0  # how soon a new submission leaves an idle kiosk
    heartbeat: float = 300.0
    content: float = 300.0
    timeout: tuple[float, float] = DEFAULT_TIMEOUT


class SyncService:
    def __init__(
        self,
        config: Config,
        data_dir: str | Path,
        *,
        timing: Timing | None = None,
        backoff: Backoff | None = None,
        batch_size: int = BATCH_SIZE,
    ):
        self.config = config
        self.data_dir = Path(data_dir)
        self.timing = timing or Timing(heartbeat=float(config.hub["heartbeat_seconds"]))
        self.backoff = backoff or Backoff()
        self.batch_size = batch_size
        self.hub_url = config.hub["url"]
        self.key = ensure_device_key(self.data_dir)
        self.client = HubClient(
            self.hub_url,
            kiosk_id=config.site["kiosk_id"],
            key=self.key,
            ca_bundle=config.hub["ca_bundle"] or None,
            timeout=self.timing.timeout,
        )
        self.outbox = Outbox(self.data_dir)
        self.enrolment = load_enrolment(self.data_dir)
        # The root is read-only: the release it runs changes only with a restart into another.
        self.release = version.running()
        self._update_hook: Updater | None = None
        self._update_sent: dict[str, Any] | None = None  # the update report the hub last heard
        # RAUC installs only on a totem image; elsewhere a release stops at "downloaded".
        self.installer = rauc.install if rauc.available() else None
        self.boot_paths = backend.Paths()
        self.window = window.parse_window(config.update["window"])  # checked with the config
        self.started = time.monotonic()
        self._last_heartbeat = float("-inf")
        self._last_content = float("-inf")

    def close(self) -> None:
        self.client.close()
        self.outbox.close()

    def __enter__(self) -> SyncService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # One pass -------------------------------------------------------------------------

    def run_once(self) -> None:
        """Enrol if needed, deliver every pending submission, then heartbeat and content.

        Raises HubUnavailable / HubRefused when the hub cannot be used."""
        self.ensure_enrolled()
        self.deliver()
        self.send_heartbeat()
        self.refresh_content()

    def ensure_enrolled(self) -> Enrolment:
        if self.enrolment is not None and self.enrolment.hub_url == self.hub_url:
            return self.enrolment
        token = self.config.hub["enrollment_token"]
        if not token:
            raise EnrolmentRefused(0, "hub.enrollment_token is empty in totem.toml")
        try:
            answer = self.client.enrol(token, public_key_b64(self.key))
        except HubRefused as error:
            raise EnrolmentRefused(
                error.status, f"the hub refused the enrolment token ({error.status})"
            ) from None
        content_key = answer.get("content_key")
        self.enrolment = Enrolment(
            hub_url=self.hub_url,
            kiosk_id=str(answer.get("kiosk_id") or self.config.site["kiosk_id"]),
            content_key=content_key if isinstance(content_key, str) else "",
            enrolled_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        save_enrolment(self.data_dir, self.enrolment)
        log.info("enrolled at %s as %s", self.hub_url, self.enrolment.kiosk_id)
        return self.enrolment

    def deliver(self) -> int:
        """Upload pending submissions batch by batch until none is left; how many were acked."""
        acknowledged = 0
        while batch := self.outbox.pending(self.batch_size):
            acknowledged += self.upload_batch(batch)
        return acknowledged

    def upload_batch(self, batch: list) -> int:
        # The hub files each submission under the kiosk that signed it, so items queued by
        # hand (`totem outbox add`, kiosk id "operator") travel under this kiosk's id too.
        kiosk_id = self.enrolment.kiosk_id if self.enrolment else self.config.site["kiosk_id"]
        results = self.client.upload(
            [item.upload_json() | {"kiosk_id": kiosk_id} for item in batch]
        )
        ours = {item.id for item in batch}
        sent, rejected = [], {}
        for result in results:
            item_id, status = result.get("id"), result.get("status")
            if item_id not in ours:
                continue
            if status in ("stored", "duplicate"):
                sent.append(item_id)
            elif status == "rejected":
                rejected[item_id] = str(result.get("error") or "rejected by the hub")
        self.outbox.mark_sent(sent)
        if rejected:
            self.outbox.mark_rejected(rejected)
            for item_id, error in rejected.items():
                log.warning("the hub rejected submission %s: %s", item_id, error)
        if not sent and not rejected:
            # An answer that acknowledges nothing would make us loop on the same batch.
            raise HubUnavailable("the hub acknowledged none of the batch")
        return len(sent)

    def send_heartbeat(self) -> None:
        report = {
            "version": self.release,
            "uptime_s": int(_system_uptime() or time.monotonic() - self.started),
            "outbox_depth": self.outbox.unsent_count(),
            "checks": _hardware_checks(self.data_dir),
        }
        updater = self._updater()
        if updater is not None:
            report["update"] = updater.report()
        report["audit"] = audit.unsent(self.data_dir)  # what technicians did, and refusals
        answer = self.client.heartbeat(report)
        audit.mark_sent(self.data_dir, report["audit"])
        self._last_heartbeat = time.monotonic()
        self._update_sent = report.get("update")
        trial.record_hub_contact(self.data_dir)  # what a release on trial must achieve
        # The hub answered a signed request over its channel: its time is a floor the
        # totem's clock (no RTC on a Pi) must not fall under (service dongles' expiry).
        hub_time = clock.from_http_date(self.client.last_date)
        if hub_time is not None:
            clock.raise_floor(self.data_dir, hub_time)
        if updater is not None and "release" in answer:
            # Downloads and installs here, between deliveries: submissions wait in the
            # outbox, safe, for the minutes RAUC takes.
            status = updater.take(answer, self.client)
            log.info("update: %s", status)
            if self.installer is not None and not trial.on_trial(self.boot_paths):
                status = updater.install(self.installer)
                log.info("update: %s", status)

    def offer_restart(self) -> None:
        """Ask root to restart into an installed release, inside the maintenance window
        and with nobody at the screen (window.py)."""
        updater = self._updater()
        if updater is None or self.installer is None:
            return
        allowed = window.may_restart(datetime.now().time(), self.window, _screen())
        offered = str(updater.status().get("offered"))
        if not (updater.restart_due(allowed) and trial.trial_pending(self.boot_paths)):
            return
        if trial.already_asked(self.data_dir, offered):
            # Restarted once for it, and the old slot came back without a trial.
            status = updater.trial_not_started()
            log.error("update: %s", status.get("reason"))
            return
        trial.request_restart(self.data_dir, offered)
        log.info("update: restart into release %s requested", offered)

    def _update_changed(self) -> bool:
        """The update's state moved since the last heartbeat (marked good, rolled back...):
        the hub hears it at once rather than at the next heartbeat."""
        updater = self._updater()
        return (
            updater is not None
            and self._update_sent is not None
            and (updater.report() != self._update_sent)
        )

    def _updater(self) -> Updater | None:
        """The update hook, once enrolled (it trusts the content key pinned then)."""
        if self._update_hook is None and self.enrolment is not None:
            try:
                key = load_public_key(self.enrolment.content_key)
            except ValueError:
                return None
            self._update_hook = Updater(self.data_dir, key, self.release)
        return self._update_hook

    def refresh_content(self) -> bool:
        """Fetch the hub's content if it changed; True when a new version was stored."""
        answer = self.client.fetch_content(cached_etag(self.data_dir))
        self._last_content = time.monotonic()
        if answer is None:
            return False
        body, etag = answer
        content_key = self.config.hub["content_key"] or (
            self.enrolment.content_key if self.enrolment else ""
        )
        try:
            content, signature = verified_content(body, content_key)
        except ContentRefused as error:
            log.error("content from the hub refused, keeping the current one: %s", error)
            return False
        store_content(self.data_dir, content, signature, etag)
        log.info("new content %s from the hub", content.get("version"))
        return True

    # The long-running process ---------------------------------------------------------

    def run_forever(self, stop: threading.Event) -> None:
        """Deliver until `stop` is set; never raises for hub trouble, only waits and retries."""
        while not stop.is_set():
            try:
                self.ensure_enrolled()
                self.deliver()
                now = time.monotonic()
                if now - self._last_heartbeat >= self.timing.heartbeat:
                    self.outbox.purge_sent()  # acknowledged items past their retention
                    self.send_heartbeat()
                if now - self._last_content >= self.timing.content:
                    self.refresh_content()
            except (HubUnavailable, HubRefused) as error:
                delay = self.backoff.next_delay()
                log.warning("%s; retrying in %.1f s", error, delay)
                stop.wait(delay)
                continue
            if self.backoff.failures:
                log.info("the hub is reachable again")
            self.backoff.reset()
            self._wait_for_work(stop)

    def _wait_for_work(self, stop: threading.Event) -> None:
        """Sleep until a submission is pending or a heartbeat/content check is due."""
        while not stop.wait(self.timing.idle_poll):
            now = time.monotonic()
            if (
                self.outbox.unsent_count()
                or now - self._last_heartbeat >= self.timing.heartbeat
                or now - self._last_content >= self.timing.content
            ):
                return
            if self._update_changed():
                self._last_heartbeat = float("-inf")
                return
            self.offer_restart()


def _screen(path: Path = SCREEN_FILE) -> str | None:
    """The screen the UI shows now (its accessibility tree), None with no UI running."""
    try:
        tree = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    screen = tree.get("screen") if isinstance(tree, dict) else None
    return screen if isinstance(screen, str) else "unknown"


def _system_uptime() -> float | None:
    try:
        return float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _hardware_checks(data_dir: Path) -> list[Any]:
    """The last results of the hardware checks (`hwcheck.json`'s "results"), if any."""
    try:
        report = json.loads((data_dir / HWCHECK_FILENAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    results = report.get("results") if isinstance(report, dict) else report
    return results if isinstance(results, list) else []
