"""The service menu's state while a technician's dongle is in (pure).

Opened on top of whatever a citizen was doing (their session is wiped first), closed when
the stick is pulled out, when the technician leaves, or after `IDLE_SECONDS` without a
touch (a stick forgotten in the totem must not leave the menu to the next citizen).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from appliance.said import Said
from appliance.service.facts import Facts
from appliance.service.visit import Visit

IDLE_SECONDS = 300
REFUSAL_SECONDS = 8  # how long a refused dongle's reason stays on screen
PAGES = ("menu", "diagnostics", "network", "outbox", "calibration", "panel", "install", "export",
         "reboot")  # fmt: skip
REBOOT_REQUEST = "reboot-requested"  # in data_dir/service: root's path unit restarts


@dataclass
class ServiceMode:
    visit: Visit
    facts: Facts
    page: str = "menu"
    # The calibration page: the touches made so far (screen pixels, as the UI got them)
    # and what the last calibration came to.
    touches: list[tuple[int, int]] = field(default_factory=list)
    outcome: Said | None = None
    # The install from the stick: under way (no second one asked), and the release it
    # installed in this visit (the page then offers the restart into it).
    installing: bool = False
    installed: str = ""
    install_said: Said | None = None  # where it stands, in words

    def open_page(self, page: str) -> None:
        if page not in PAGES:
            raise ValueError(f"unknown service page {page!r}")
        self.page = page
        self.touches, self.outcome = [], None
