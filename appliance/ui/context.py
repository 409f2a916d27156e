"""What a screen may read and do: the narrow view of the kiosk app its builders are given.

Screens (`screens/*`), the shared chrome (`chrome.py`) and the keyboard view are typed
against `ScreenContext`, never against `KioskApp`: they read the citizen's session, the
town hall's content and the kiosk's settings, and act only through the calls listed here.
`KioskApp` is the one implementation; a new screen that needs more adds it here first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from appliance.said import Problem, Said
    from appliance.service.menu import ServiceMode
    from appliance.ui.layout import Metrics
    from appliance.ui.session import Session


class ScreenContext(Protocol):
    # -- what the kiosk is --------------------------------------------------------------
    size: tuple[int, int]
    diagonal_inches: float
    languages: tuple[str, ...]
    site_name: str
    idle_seconds: int
    countdown_seconds: int

    # -- what is shown now --------------------------------------------------------------
    content: dict
    session: Session  # the citizen's choices and text: wiped when they leave
    screen_name: str
    problem: Problem | None  # why the kiosk is out of service
    warning: Sequence[Said]  # discreet notices: a refused dongle, the hardware check
    service: ServiceMode | None  # the technician's menu, while a valid dongle is in

    @property
    def lang(self) -> str: ...

    @property
    def metrics(self) -> Metrics: ...

    @property
    def countdown_left(self) -> int | None: ...

    @property
    def visiting(self) -> dict | None: ...  # the site whose browser has the screen

    def t(self, key: str, **values: object) -> str: ...

    # -- what a screen may do -----------------------------------------------------------
    def go(self, screen: str) -> None: ...

    def changed(self) -> None: ...

    def submit(self, kind: str, payload: dict, thanks: str | None = None) -> bool: ...

    def cycle_language(self) -> None: ...

    def cycle_text_size(self) -> None: ...

    def toggle_contrast(self) -> None: ...

    def toggle_low_reach(self) -> None: ...

    def open_site(self, site_id: str) -> None: ...

    # -- what the service menu may do -----------------------------------------------------
    def open_service_page(self, page: str) -> None: ...

    def leave_service(self) -> None: ...

    def request_reboot(self) -> None: ...

    def calibration_targets(self) -> list[tuple[int, int]]: ...

    def undo_calibration(self) -> None: ...

    def export_logs(self) -> None: ...
