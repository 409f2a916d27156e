"""Handing the screen to a site's browser and taking it back.

The UI decides (`KioskApp.visiting`: a tile was tapped); this follows it. To start, the
kiosk draws its "Ouverture…" frame, lets the panel's grab and the display go, and starts
the browser (sites/visit.py). While the browser runs the kiosk keeps reading the panel:
its touches still tell the UI someone is there, so the kiosk's own idle rule and countdown
go on, and the seconds left are told to the browser's bar. When the UI moves on (the
countdown ran out, the session was wiped, the service dongle, out of service) the browser
is closed; when the browser goes by itself (its home control, a crash) the UI is told.
Either way the kiosk takes the screen back and draws at once.
"""

from __future__ import annotations

import logging
from typing import Any

from appliance.content import label
from appliance.sites.visit import ENDINGS, SiteVisit

log = logging.getLogger(__name__)

PAGE_DRAWN = ("loaded", "unreachable-shown", "refusal-shown")  # the browser's first page


class VisitHost:
    def __init__(self, kiosk: Any):  # appliance.runtime.kiosk.Kiosk (which imports this)
        self.kiosk = kiosk
        self.visit: SiteVisit | None = None
        self._site_id: str | None = None
        self._told: int | None = None  # the countdown the browser shows (None: none)
        self._loaded = False

    @property
    def busy(self) -> bool:
        return self.visit is not None

    def fds(self) -> list[int]:
        """What the main loop's sleep also waits on: the browser's voice."""
        return [self.visit.fileno()] if self.visit is not None else []

    def step(self) -> None:
        """Once per turn of the main loop: follow the UI, hear the browser."""
        app = self.kiosk.app
        site = app.visiting
        if self.visit is None:
            if site is not None:
                self._start(site)
            return
        ending = self._hear()
        if ending is not None:
            self.end()
            app.end_visit(ending)
            return
        if site is None or site["id"] != self._site_id:
            self.end()  # the UI moved on: the browser goes, the kiosk is back
            return
        self._tell_countdown(app.countdown_left)

    def end(self, *, take_back: bool = True) -> None:
        """Close the browser, if one runs, and (unless the kiosk is stopping) show the kiosk."""
        if self.visit is None:
            return
        visit, self.visit = self.visit, None
        outcome = visit.close()
        log.info("site visit: %s ended (%s) after %.1f s", self._site_id, outcome, visit.age)
        self._site_id = None
        if take_back:
            self._take_back()

    def _take_back(self) -> None:
        """The screen and the panel are the kiosk's again."""
        self.kiosk.take_display()
        if self.kiosk.source is not None:
            self.kiosk.source.share(False)

    # -- internals ------------------------------------------------------------------

    def _start(self, site: dict[str, Any]) -> None:
        kiosk = self.kiosk
        config = kiosk.config
        kiosk.draw()  # "Ouverture de …" for the moment the browser takes to show
        if kiosk.source is not None:
            kiosk.source.share(True)
        kiosk.release_display()
        self._site_id, self._told, self._loaded = site["id"], None, False
        try:
            self.visit = SiteVisit(
                site["url"],
                config.network["allow"],
                name=label(site, kiosk.app.lang),
                ca_bundle=config.hub["ca_bundle"],
                run_as=kiosk.options.browser_prefix,
                rotation=config.display["rotation"],
            )
        except OSError as error:
            log.error("site visit: cannot start the browser: %s", error)
            self._site_id = None
            self._take_back()
            kiosk.app.end_visit("ended")
            return
        log.info("site visit: %s (%s) started", site["id"], site["url"])

    def _hear(self) -> str | None:
        """Take what the browser said; its last word once it has gone."""
        assert self.visit is not None
        while (event := self.visit.next_event(0)) is not None:
            name = event.get("event")
            if name in PAGE_DRAWN and not self._loaded:
                self._loaded = True
                asked = self.kiosk.app.visit_asked_at
                if asked is not None:
                    # The start-up figure: from the citizen's tap to a page on screen (the
                    # site's, or the browser's own when the site cannot be shown).
                    log.info(
                        "site visit: %s shown %.2f s after the tap (%s)",
                        self._site_id,
                        self.kiosk.clock() - asked,
                        name,
                    )
            if name in ENDINGS or name == "ended":
                return self.visit.outcome
        return None

    def _tell_countdown(self, left: int | None) -> None:
        if left == self._told:
            return
        assert self.visit is not None
        self.visit.tell("continue" if left is None else f"countdown {left}")
        self._told = left
