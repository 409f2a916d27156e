"""The kiosk's side of the technician's service mode: what root's dongle reader says opens
or refuses the menu, and what the technician does there is carried out and audited.

The menu itself (pages, timeouts) is appliance/service/menu.py and ui/screens/service.py;
root's side (reading the stick, exporting the logs, restarting) is appliance/service/ and
its units. This module is only the I/O between them, run from the kiosk's loop.
"""

from __future__ import annotations

import logging
from typing import Any

from appliance.runtime.watch import FileWatch
from appliance.said import Said
from appliance.service.errands import (
    EXPORT_REQUEST,
    EXPORT_RESULT,
    INSTALL_REQUEST,
    INSTALL_RESULT,
    PANEL_REQUEST,
    PANEL_RESULT,
)

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0  # a valid dongle opens the menu within 3 s of being plugged


class ServiceDesk:
    def __init__(self, kiosk: Any):  # appliance.runtime.kiosk.Kiosk (which imports this)
        # The kiosk, not copies of its parts: the outbox may be reopened and the touch
        # source is opened after the UI.
        self.kiosk = kiosk
        self.data_dir = kiosk.options.data_dir
        self.state_file = kiosk.options.service_state
        self._dongle_watch = FileWatch(self.state_file)
        self._export_watch = FileWatch(self.state_file.parent / EXPORT_RESULT)
        self._install_watch = FileWatch(self.state_file.parent / INSTALL_RESULT)
        self._panel_watch = FileWatch(self.state_file.parent / PANEL_RESULT)
        self._visit_seen: str | None = None  # the last insertion acted upon

    # -- what root's units wrote -----------------------------------------------------

    def poll(self) -> None:
        """Open the service menu for a valid dongle just plugged, say why one was refused,
        close the menu when its stick is gone (appliance/service/dongle.py tells)."""
        from appliance.service.dongle import present

        self._poll_export()
        self._poll_install()
        self._poll_panel()
        app = self.kiosk.app
        if app.service is not None and not present(app.service.visit.device):
            app.close_service("removed")  # its device left sysfs: pulled out
        if not self._dongle_watch.changed():
            return
        from appliance.service.menu import REFUSAL_SECONDS, ServiceMode
        from appliance.service.visit import parse
        from appliance.ui.i18n import tr

        try:
            visit = parse(self.state_file.read_bytes())
        except OSError:
            visit = None
        if visit is None:
            app.close_service("removed")
            return
        if visit.visit == self._visit_seen:
            return  # the same insertion: a menu closed by its timeout stays closed
        self._visit_seen = visit.visit
        # A new verdict: the stick of an open menu was pulled and another came under its
        # name (the reader tells nothing else while a dongle is in).
        app.close_service("removed")
        if visit.opens and present(visit.device):  # not a verdict left by a stick gone
            self._audit("service-opened", visit)
            app.open_service(ServiceMode(visit, self._facts()))
        elif not visit.opens:
            # The code stays in the audit log, for the hub's page: the banner says why.
            refused = Said(
                tr("en", "service.refused", reason=visit.reason.en),
                tr("fr", "service.refused", reason=visit.reason.fr),
            )
            app.show_notice(refused, REFUSAL_SECONDS)

    def _answer(self, watch: FileWatch) -> dict | None:
        """Root's new answer for the visit open now, if it wrote one."""
        from appliance.service import errands

        mode = self.kiosk.app.service
        if mode is None or not watch.changed():
            return None
        return errands.read_answer(watch.path, mode.visit.visit)

    def _poll_export(self) -> None:
        """The outcome of a logs export asked in this visit, when root wrote it."""
        if (answer := self._answer(self._export_watch)) is not None:
            outcome = outcome_said(answer, "service.exported", "service.export_failed", "folder")
            self.kiosk.app.show_service_outcome(outcome)

    def _poll_panel(self) -> None:
        """What root's accept-panel said about the panel accepted in this visit."""
        if (answer := self._answer(self._panel_watch)) is not None:
            outcome = outcome_said(
                answer, "service.panel_accepted", "service.panel_failed", "ident", "port"
            )
            self.kiosk.app.show_service_outcome(outcome)

    def _poll_install(self) -> None:
        """Where the install from the stick asked in this visit stands, as root writes it."""
        if (answer := self._answer(self._install_watch)) is not None:
            said, busy, installed = install_said(answer)
            self.kiosk.app.show_install(said, busy=busy, installed=installed)

    # -- what the technician did in the menu (the UI's service hook) -------------------

    def on_event(self, event: str, details: dict):
        """Audited; a page opened gets fresh facts; calibration answers with its outcome."""
        visit = details["visit"]
        if event == "closed":
            self._audit("service-closed", visit, why=details["why"])
            return None
        if event == "reboot":
            self._audit("service-reboot", visit)
            self._request_reboot()
            return None
        if event == "export":
            self._audit("logs-export-asked", visit)
            self._ask(EXPORT_REQUEST, visit)
            return None
        if event == "install":
            self._audit("stick-install-asked", visit)
            self._ask(INSTALL_REQUEST, visit)
            return None
        if event == "panel":
            self._audit("panel-accept-asked", visit, ident=details["ident"], port=details["port"])
            self._ask(PANEL_REQUEST, visit, port=details["port"])
            return None
        if event == "trial-restart":
            self._audit("service-trial-restart", visit, release=details["release"])
            self._request_trial(details["release"])
            return None
        if event == "calibrate":
            return self._calibrate(visit, details["touches"], details["aimed"])
        if event == "calibration-undo":
            return self._undo_calibration(visit)
        self._audit("service-page", visit, page=details["page"])
        return self._facts()

    def _calibrate(self, visit: Any, touches: list, aimed: list) -> Said:
        """Fit the matrix from the technician's touches, apply it to the panel at once and
        keep it on the data partition (it replaces totem.toml's `[touch] matrix`)."""
        from appliance.touch import kept
        from appliance.touch.calibration import CalibrationError, fit_from_screen
        from appliance.ui.i18n import said

        source = self.kiosk.source
        current = getattr(source, "matrix", None)
        try:
            matrix = fit_from_screen(touches, aimed, self.kiosk.config.screen_size, current)
        except (CalibrationError, ValueError) as error:
            self._audit("calibration-refused", visit, reason=str(error))
            return said("service.calibration_refused", reason=str(error))
        if source is not None:
            source.set_matrix(matrix)
        try:
            kept.save(self.data_dir, matrix, visit.technician)
        except OSError as error:
            log.error("kiosk: the calibration applies but cannot be kept (%s)", error)
        self._audit("calibration-applied", visit, matrix=[round(v, 4) for v in matrix])
        return said("service.calibrated")

    def _undo_calibration(self, visit: Any) -> Said:
        from appliance.touch import kept
        from appliance.ui.i18n import said

        try:
            kept.remove(self.data_dir)
        except OSError as error:
            log.error("kiosk: cannot remove the kept calibration (%s)", error)
        if self.kiosk.source is not None:
            self.kiosk.source.set_matrix(tuple(self.kiosk.config.touch["matrix"]))
        self._audit("calibration-undone", visit)
        return said("service.calibration_undone")

    def _ask(self, request: str, visit: Any, **fields: str) -> None:
        from appliance.service import errands

        try:
            errands.ask(self.data_dir, request, visit.visit, **({"device": visit.device} | fields))
        except OSError as error:
            log.error("kiosk: cannot ask root for %s (%s)", request, error)

    def _request_trial(self, release: str) -> None:
        """The release installed from the stick, started on trial now: the restart the
        sync asks for in the maintenance window (totem-update-restart.path, tryboot)."""
        from appliance.update.trial import request_restart

        try:
            request_restart(self.data_dir, release)
        except OSError as error:
            log.error("kiosk: cannot ask for the trial restart (%s)", error)

    def _request_reboot(self) -> None:
        from appliance.durable import write_atomically
        from appliance.service.audit import AUDIT_DIR
        from appliance.service.menu import REBOOT_REQUEST

        request = self.data_dir / AUDIT_DIR / REBOOT_REQUEST
        try:
            request.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(request, b"service menu\n")
        except OSError as error:
            log.error("kiosk: cannot ask for the restart (%s)", error)

    def _facts(self):
        from appliance.service.facts import gather

        return gather(self.data_dir, self.kiosk.outbox)

    def _audit(self, event: str, visit: Any, **details: Any) -> None:
        from appliance.service import audit

        try:
            audit.record(self.data_dir, event, visit=visit.visit,
                         technician=visit.technician, serial=visit.serial, **details)  # fmt: skip
        except OSError as error:  # the menu still serves: the journal keeps the trace
            log.warning("kiosk: cannot write the audit log (%s): %s %s", error, event, details)


def install_said(answer: dict) -> tuple[Said, bool, str]:
    """Root's answer about the install from the stick, for the page: what to say, whether
    it is still under way, and the release installed ("" until then) (pure)."""
    from appliance.ui.i18n import tr

    def both(key: str, **values: Any) -> Said:
        return Said(*(tr(lang, key, **values) for lang in ("en", "fr")))

    state = answer.get("state")
    release = str(answer.get("version", "?"))
    if state == "copying":
        return both("service.install_copying", mb=int(answer.get("done_mb") or 0)), True, ""
    if state == "checking":
        return both("service.install_checking"), True, ""
    if state == "installing":
        percent = int(answer.get("percent") or 0)
        return both("service.install_progress", release=release, percent=percent), True, ""
    if answer.get("ok") is True:
        return both("service.installed", release=release), False, release
    return failure_said(answer, "service.install_failed"), False, ""


def outcome_said(answer: dict, done: str, failed: str, *fields: str) -> Said:
    """Root's answer in the technician's words: `done` with the answer's `fields`, or
    `failed` with its reason (pure)."""
    from appliance.ui.i18n import tr

    if not answer.get("ok"):
        return failure_said(answer, failed)
    values = {name: str(answer.get(name)) for name in fields}
    return Said(*(tr(lang, done, **values) for lang in ("en", "fr")))


def failure_said(answer: dict, failed: str) -> Said:
    """`failed` with the reason root's answer gave, in each language (pure)."""
    from appliance.ui.i18n import tr

    why = Said.from_json(answer.get("reason"))
    return Said(tr("en", failed, reason=why.en), tr("fr", failed, reason=why.fr))
