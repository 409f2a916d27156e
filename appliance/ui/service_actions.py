"""What the technician's service menu does, as KioskApp methods the service screen calls.

KioskApp inherits these (they need its session, screen and clock); they live here so the
citizen's UI and the technician's read apart. Everything that touches the system goes
through `_service_hook` (the kiosk's appliance/runtime/servicedesk.py), which audits it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from appliance.said import Said
from appliance.service.menu import ServiceMode
from appliance.touch.calibration import targets
from appliance.ui.chrome import screen_areas
from appliance.ui.i18n import said

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


class ServiceMenuActions:
    service: ServiceMode | None
    _service_hook: Callable[[str, dict], Any]

    def open_service(self, mode: ServiceMode) -> None:
        """A valid dongle came in: whatever a citizen was doing is wiped, the menu opens."""
        self.wipe()
        self.service = mode
        self.screen_name = "service"
        self._last_activity = self._clock()
        self.changed()

    def close_service(self, why: str) -> None:
        """The stick was pulled out (`removed`), the technician left (`left`) or the menu
        waited too long (`timeout`): back to the citizens' screens, nothing of it kept."""
        if self.service is None:
            return
        visit = self.service.visit
        self.service = None
        self._service_hook("closed", {"why": why, "visit": visit})
        self.wipe()

    def open_service_page(self, page: str) -> None:
        if self.service is None:
            return
        self.service.open_page(page)
        facts = self._service_hook("page", {"page": page, "visit": self.service.visit})
        if facts is not None:
            self.service.facts = facts
        self.changed()

    def leave_service(self) -> None:
        self.close_service("left")

    def calibration_targets(self) -> list[tuple[int, int]]:
        area = screen_areas(self, self.metrics, None).content
        return targets((area.x, area.y, area.w, area.h))

    def _collecting_touches(self) -> bool:
        mode = self.service
        return (
            mode is not None
            and mode.page == "calibration"
            and mode.outcome is None
            and len(mode.touches) < len(self.calibration_targets())
        )

    def _calibration_touch(self, x: int, y: int) -> None:
        mode = self.service
        mode.touches.append((x, y))
        aimed = self.calibration_targets()
        if len(mode.touches) == len(aimed):
            details = {"touches": list(mode.touches), "aimed": aimed, "visit": mode.visit}
            outcome = self._service_hook("calibrate", details)
            mode.outcome = outcome if isinstance(outcome, Said) else said("service.not_applied")
        self.changed()

    def undo_calibration(self) -> None:
        if self.service is not None:
            outcome = self._service_hook("calibration-undo", {"visit": self.service.visit})
            undone = outcome if isinstance(outcome, Said) else said("service.calibration_undone")
            self.service.outcome = undone
            self.changed()

    def export_logs(self) -> None:
        """The technician asked for the logs on the stick: root writes them; the kiosk
        tells the outcome (`show_service_outcome`) when it comes."""
        if self.service is not None:
            self._service_hook("export", {"visit": self.service.visit})
            self.service.outcome = said("service.exporting")
            self.changed()

    def accept_panel(self, ident: str, port: str) -> None:
        """The technician accepts the device on `port` as the touch panel: root pins and
        authorizes it; the outcome comes back through `show_service_outcome`."""
        if self.service is not None:
            details = {"visit": self.service.visit, "ident": ident, "port": port}
            self._service_hook("panel", details)
            self.service.outcome = said("service.panel_accepting")
            self.changed()

    def install_from_stick(self) -> None:
        """The technician asked for the stick's release: root's unit copies, checks and
        installs it; the kiosk tells the progress (`show_install`) as it comes."""
        if self.service is not None and not self.service.installing:
            self._service_hook("install", {"visit": self.service.visit})
            self.service.installing, self.service.install_said = True, None
            self.changed()

    def show_install(self, said: Said, *, busy: bool, installed: str = "") -> None:
        """Where the install from the stick stands (`busy` until it ended)."""
        if self.service is not None:
            self.service.installing = busy
            self.service.installed = installed or self.service.installed
            self.service.install_said = said
            self.changed()

    def restart_for_trial(self) -> None:
        """Restart into the release just installed, on trial (root's tryboot restart)."""
        if self.service is not None and self.service.installed:
            self._service_hook("trial-restart", {"visit": self.service.visit,
                                                 "release": self.service.installed})  # fmt: skip
            self.show_notice(said("service.rebooting"), 120)  # until the restart happens

    def show_service_outcome(self, outcome: Said) -> None:
        """What the last action asked of root came to, on the page that asked it."""
        if self.service is not None:
            self.service.outcome = outcome
            self.changed()

    def request_reboot(self) -> None:
        """The technician asked for a restart: root's unit does it (the kiosk cannot)."""
        if self.service is not None:
            self._service_hook("reboot", {"visit": self.service.visit})
            self.show_notice(said("service.rebooting"), 120)  # until the restart happens
