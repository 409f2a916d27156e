"""KioskApp: the whole touch UI behind one small interface.

Gestures come in through `handle()`, timers through `tick()`, frames go out through
`render()` and the accessibility tree through `a11y_tree()`. The widget list of the
current state is built once and reused until something changes, so a frame is only
drawing; `dirty` tells the runtime whether a frame is needed at all.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from appliance.said import Problem, Said
from appliance.service.menu import IDLE_SECONDS as SERVICE_IDLE_SECONDS
from appliance.service.menu import ServiceMode
from appliance.store.outbox import OutboxError, OutboxFull
from appliance.touch.gestures import DOWN, LONG_PRESS, TAP, Gesture
from appliance.ui import layout
from appliance.ui.chrome import idle_overlay, screen_areas, toolbar, warning_banner
from appliance.ui.fit import layout_faults
from appliance.ui.i18n import said, tr
from appliance.ui.screen_names import SCREEN_NAMES
from appliance.ui.screens import BUILDERS
from appliance.ui.service_actions import ServiceMenuActions
from appliance.ui.session import Session
from appliance.ui.widgets import POPUP, Widget, hit

if TYPE_CHECKING:
    import pygame

    from appliance.config import Config

# "Merci" stays this long after the last touch, then the kiosk wipes the session and goes
# back to attract: the next person never finds the previous one's thanks (or receipt).
THANKS_SECONDS = 10

# How long the tiles say that the site closed by itself.
VISIT_ENDED_NOTICE_SECONDS = 8

# What the submit callback may raise when the outbox cannot store: the apology screen.
SUBMISSION_ERRORS = (OutboxFull, OutboxError)


class KioskApp(ServiceMenuActions):
    def __init__(
        self,
        *,
        size: tuple[int, int],
        content: dict,
        languages: tuple[str, ...],
        site_name: str,
        diagonal_inches: float,
        idle_seconds: int,
        countdown_seconds: int,
        submit: Callable[[str, dict], Any],
        clock: Callable[[], float] = time.monotonic,
        service_hook: Callable[[str, dict], Any] | None = None,
    ):
        self.size = (int(size[0]), int(size[1]))
        self.content = content
        self.languages = tuple(languages) or ("fr",)
        self.site_name = site_name
        self.diagonal_inches = diagonal_inches
        self.idle_seconds = idle_seconds
        self.countdown_seconds = countdown_seconds
        self._submit = submit
        self._clock = clock
        self.session = Session(lang=self.languages[0])
        self.screen_name = "attract"
        self.problem: Problem | None = None
        self.warning: tuple[Said, ...] = ()  # the notice, then the hardware's warnings
        self._hardware_warning: tuple[Said, ...] = ()
        self._notice: tuple[Said, float] | None = None  # (what, until when)
        self.service: ServiceMode | None = None
        # Told of what a technician does in the service menu (the kiosk audits it and
        # answers a page opened with fresh facts).
        self._service_hook = service_hook or (lambda event, details: None)
        self.dirty = True
        self._widgets: list[Widget] | None = None
        self._pressed: str | None = None
        self._last_activity = clock()
        self._countdown_end: float | None = None
        self._countdown_shown: int | None = None  # the seconds the countdown shows
        self._frame = None  # what the last render() left on its surface
        self.visit_asked_at: float | None = None  # when the citizen tapped a site's tile
        self.damage: list | None = None

    @classmethod
    def from_config(
        cls,
        config: Config,
        *,
        content: dict,
        submit: Callable[[str, dict], Any],
        clock: Callable[[], float] = time.monotonic,
        service_hook: Callable[[str, dict], Any] | None = None,
        **overrides: Any,
    ) -> KioskApp:
        """The UI for `config` (the one way the kiosk, the screenshots, the benchmark and the
        tests make it); `overrides` replace settings, e.g. another `size` for a picture."""
        settings = {
            "size": config.screen_size,
            "languages": config.languages,
            "site_name": config.site["name"],
            "diagonal_inches": config.display["diagonal_inches"],
            "idle_seconds": config.session["idle_seconds"],
            "countdown_seconds": config.session["countdown_seconds"],
        }
        unknown = set(overrides) - set(settings)
        if unknown:
            raise TypeError(f"unknown KioskApp settings: {', '.join(sorted(unknown))}")
        return cls(
            content=content,
            submit=submit,
            clock=clock,
            service_hook=service_hook,
            **(settings | overrides),
        )

    # -- state the screens read ---------------------------------------------------------
    @property
    def lang(self) -> str:
        return self.session.lang

    def t(self, key: str, **values: object) -> str:
        return tr(self.session.lang, key, **values)

    @property
    def metrics(self) -> layout.Metrics:
        return layout.metrics_for(
            self.size,
            self.diagonal_inches,
            layout.TEXT_SCALES[self.session.text_size],
            self.session.low_reach,
        )

    @property
    def pressed(self) -> str | None:
        return self._pressed

    @property
    def countdown_left(self) -> int | None:
        if self._countdown_end is None:
            return None
        return max(0, math.ceil(self._countdown_end - self._clock() - 1e-9))

    @property
    def visiting(self) -> dict | None:
        """The site whose browser has the screen, or None. The visit lasts while this says
        so: the kiosk ends the browser as soon as the session moves on (idle countdown,
        a wipe, the service dongle, out of service)."""
        if self.screen_name != "visit":
            return None
        sites = self.content.get("sites", [])
        return next((x for x in sites if x["id"] == self.session.site), None)

    # -- the interface the runtime uses --------------------------------------------------
    def widgets(self) -> list[Widget]:
        if self._widgets is None:
            self._widgets = self._build()
        return self._widgets

    def handle(self, gesture: Gesture) -> None:
        """One gesture of the touch source (screen pixels, as the citizen sees them)."""
        kind, x, y = gesture.kind, gesture.x, gesture.y
        self._last_activity = self._clock()
        if self._countdown_end is not None:
            if kind in (TAP, LONG_PRESS):
                self._countdown_end = None  # any touch means someone is still there
                self.changed()
            return
        if self.screen_name == "visit":
            return  # the browser is on screen: a touch only says someone is still there
        if kind == DOWN:  # only the pressed look: the action waits for the tap
            target = hit(self.widgets(), x, y)
            self._set_pressed(target.id if target and target.enabled else None)
            return
        self._set_pressed(None)
        if kind not in (TAP, LONG_PRESS):
            return  # drags and cancels do nothing in this UI
        target = hit(self.widgets(), x, y)
        if (
            kind == TAP
            and self._collecting_touches()
            and (target is None or target.role != "button")
        ):
            self._calibration_touch(x, y)  # where the finger landed is what matters here
            return
        popup_open = self._keyboard_popup_open()
        if popup_open and (target is None or target.layer < POPUP):
            self._close_popups()  # a touch beside the accents closes them, nothing else
            return
        if target is None and self.screen_name == "attract":
            self.go("home")  # a touch anywhere on the attract screen wakes the kiosk
            return
        if target is None or not target.enabled:
            return
        if kind == LONG_PRESS and target.long_action is not None:
            target.long_action()
        elif target.action is not None:
            target.action()
        self.changed()

    def tick(self, now: float) -> None:
        if self._notice is not None and now >= self._notice[1]:
            self.show_notice(None)
        if self.screen_name == "service":
            if now - self._last_activity >= SERVICE_IDLE_SECONDS:
                self.close_service("timeout")
            return
        if self.screen_name == "out-of-service":
            return
        if self.screen_name == "thanks":  # no countdown here: "Merci" goes home by itself
            if now - self._last_activity >= THANKS_SECONDS:
                self.wipe()
            return
        if self.screen_name == "attract":
            # Choices made on the attract screen (language, contrast…) go quietly too.
            if self._attract_choices() and now - self._last_activity >= self.idle_seconds:
                self.wipe()
            return
        if self._countdown_end is None:
            if now - self._last_activity >= self.idle_seconds:
                self._countdown_end = (
                    self._last_activity + self.idle_seconds + self.countdown_seconds
                )
                self._countdown_shown = self.countdown_left
                self.changed()
            return
        if now >= self._countdown_end:
            self.wipe()
        elif self.countdown_left != self._countdown_shown:
            self._countdown_shown = self.countdown_left
            self.changed()  # the seconds shown go down

    def next_deadline(self) -> float | None:
        deadlines = [self._screen_deadline()]
        if self._notice is not None:
            deadlines.append(self._notice[1])
        return min((d for d in deadlines if d is not None), default=None)

    def _screen_deadline(self) -> float | None:
        if self.screen_name == "service":
            return self._last_activity + SERVICE_IDLE_SECONDS
        if self.screen_name == "out-of-service":
            return None
        if self.screen_name == "thanks":
            return self._last_activity + THANKS_SECONDS
        if self.screen_name == "attract":
            return self._last_activity + self.idle_seconds if self._attract_choices() else None
        if self._countdown_end is None:
            return self._last_activity + self.idle_seconds
        # Wake when the number on screen must go down, not more often. The deadline follows
        # what was drawn, not the clock: a loop that wakes a little late still finds it due.
        shown = self._countdown_shown or 0
        return self._countdown_end - max(shown - 1, 0)

    def render(self, surface: pygame.Surface) -> None:
        """Bring `surface` up to date. It is assumed to hold the last frame drawn on it, so
        only what changed is repainted; `damage` lists those rectangles (None: all)."""
        from appliance.ui.frame import paint

        self._frame, self.damage = paint(
            surface,
            self.widgets(),
            self._frame,
            high_contrast=self.session.high_contrast,
            pressed=self._pressed,
        )
        self.dirty = False

    def forget_frame(self) -> None:
        """The next render() redraws everything (something else drew on the surface)."""
        self._frame = None
        self.dirty = True

    def a11y_tree(self) -> dict:
        # Decorations (role "") are not read out: they are only backgrounds.
        widgets = [w.describe() for w in self.widgets() if w.role]
        return {"screen": self.screen_name, "widgets": widgets}

    def show_screen(self, name: str) -> None:
        if name not in SCREEN_NAMES:
            raise ValueError(f"unknown screen {name!r}; screens are: {', '.join(SCREEN_NAMES)}")
        self.screen_name = name
        self._last_activity = self._clock()
        self._countdown_end = None
        self.changed()

    def set_content(self, content: dict) -> None:
        self.content = content
        session = self.session
        # A flow pointing at something the new content removed starts over.
        if session.idea_category not in {c["id"] for c in content.get("idea_categories", [])}:
            session.idea_category, session.idea_step = None, "category"
        if session.rating_service not in {s["id"] for s in content.get("services", [])}:
            session.rating_service, session.rating_step = None, "service"
        if session.consultation not in {c["id"] for c in content.get("consultations", [])}:
            session.consultation, session.consultation_step = None, "list"
        if self.screen_name == "visit" and self.visiting is None:
            self.screen_name = "sites"  # the town hall took the site off the totem
        self.changed()

    def set_out_of_service(self, problem: Problem | None) -> None:
        self.problem = problem
        if self.service is not None:
            return  # the technician's menu stays; closing it shows the problem
        if problem is not None:
            self.session = Session(lang=self.languages[0])
            self.screen_name = "out-of-service"
        elif self.screen_name == "out-of-service":
            self.screen_name = "attract"
        self._countdown_end = None
        self.changed()

    def set_warning(self, warnings: Sequence[Said]) -> None:
        self._hardware_warning = tuple(warnings)
        self._show_warnings()

    def show_notice(self, said: Said | None, seconds: float = 0) -> None:
        """A short-lived notice in the banner, before the hardware's warnings (a refused
        dongle says why for a few seconds, over whatever a citizen is doing)."""
        self._notice = (said, self._clock() + seconds) if said is not None else None
        self._show_warnings()

    def _show_warnings(self) -> None:
        notice = (self._notice[0],) if self._notice is not None else ()
        self.warning = notice + self._hardware_warning
        self.changed()

    # -- actions the screens call ---------------------------------------------------------
    def changed(self) -> None:
        self._widgets = None
        self.dirty = True

    def go(self, screen: str) -> None:
        if self.service is not None:  # the menu is the technician's home: "home" leads there
            self.open_service_page("menu")
            return
        if self.screen_name == "out-of-service":
            return
        self._close_popups()
        self.screen_name = screen
        self.changed()

    def wipe(self) -> None:
        """The citizen left: forget everything they did, back to the attract screen."""
        if self.service is not None:
            self.close_service("wiped")  # closing wipes again, with the menu gone
            return
        self.session = Session(lang=self.languages[0])
        self._countdown_end = None
        self._pressed = None
        self.screen_name = "out-of-service" if self.problem else "attract"
        self.changed()

    def submit(self, kind: str, payload: dict, thanks: str | None = None) -> bool:
        """Hand a submission to the outbox; thanks only once it is stored, else apologise.
        `thanks` names the thanks text when it is not the kind's own (an opinion poll's
        answer travels as a vote but is thanked as an opinion)."""
        payload = {**payload, "language": self.session.lang}
        try:
            result = self._submit(kind, payload)
        except SUBMISSION_ERRORS:
            self.go("sorry")
            return False
        receipt = getattr(result, "id", None) or ""
        self.session.receipt = str(receipt)[:8].upper()
        self.session.thanks_kind = thanks or kind
        self.go("thanks")
        return True

    def open_site(self, site_id: str) -> None:
        """Hand the screen to the site's browser (the runtime sees `visiting` and starts it)."""
        self.session.site = site_id
        if self.visiting is None and site_id in {x["id"] for x in self.content.get("sites", [])}:
            self.screen_name = "visit"
            self.visit_asked_at = self._clock()
            self.changed()

    def end_visit(self, outcome: str) -> None:
        """The browser is gone: "home" (its home control) leads home; a browser that went by
        itself ("crashed", or it could not start) leaves the citizen on the tiles, told so.
        A visit the kiosk ended ("closed") has already moved on."""
        if self.screen_name != "visit":
            return
        if outcome == "home":
            self.go("home")
        else:
            self.go("sites")
            self.show_notice(said("sites.ended"), VISIT_ENDED_NOTICE_SECONDS)

    def cycle_language(self) -> None:
        langs = self.languages
        index = langs.index(self.session.lang) if self.session.lang in langs else -1
        self.session.lang = langs[(index + 1) % len(langs)]

    def cycle_text_size(self) -> None:
        self.session.text_size = (self.session.text_size + 1) % len(layout.TEXT_SCALES)

    def toggle_contrast(self) -> None:
        self.session.high_contrast = not self.session.high_contrast

    def toggle_low_reach(self) -> None:
        self.session.low_reach = not self.session.low_reach

    # -- internals ------------------------------------------------------------------------
    def _attract_choices(self) -> bool:
        return self.session != Session(lang=self.languages[0])

    def _set_pressed(self, widget_id: str | None) -> None:
        if widget_id != self._pressed:
            self._pressed = widget_id
            self.dirty = True  # only the look changes: widgets stay as they are

    def _keyboards(self):
        s = self.session
        return (s.idea_keyboard, s.rating_keyboard, s.code_keyboard)

    def _keyboard_popup_open(self) -> bool:
        return any(k.popup for k in self._keyboards())

    def _close_popups(self) -> None:
        for keyboard in self._keyboards():
            keyboard.close_popup()
        self.changed()

    def _layouts(self):
        """(metrics, low-reach start) to try in turn, from what the citizen chose down to
        what fits: low-reach content moves up a little, then the text shrinks a step."""
        s = self.session
        base = layout.TEXT_SCALES[s.text_size]
        scales = [base] + [x for x in (*reversed(layout.TEXT_SCALES), 0.9, 0.8) if x < base]
        reaches = [None, 0.25, 0.12, 0.0] if s.low_reach else [None]
        for scale in scales:
            m = layout.metrics_for(self.size, self.diagonal_inches, scale, s.low_reach)
            for reach in reaches:
                yield m, reach

    def _build(self) -> list[Widget]:
        # The first layout that fits: nothing overflowing its area, every text inside its
        # widget and the screen, no word cut, no two widgets over one another (fit.py).
        for m, reach in self._layouts():
            areas = screen_areas(self, m, reach)
            builder = layout.Builder(m, areas.content)
            BUILDERS[self.screen_name](self, builder)
            widgets: list[Widget] = []
            if self.warning:
                widgets += warning_banner(self, m, areas)
            widgets += builder.widgets + toolbar(self, m, areas.bar)
            if not builder.overflow and not layout_faults(widgets, self.size):
                break
        widgets.sort(key=lambda widget: widget.layer)  # stable: popups last, over the rest
        if self._countdown_end is not None:
            widgets = idle_overlay(self, m)  # modal: nothing else can be touched or read
        return widgets
