"""Service rating: service → 1–5 stars → optional comment → review → send."""

from __future__ import annotations

from typing import TYPE_CHECKING

from appliance.content import label
from appliance.ui import fonts
from appliance.ui.keyboard_view import place_keyboard, place_textbox
from appliance.ui.layout import Builder
from appliance.ui.screens.parts import (
    back_home,
    button,
    by_id,
    next_button,
    pick_one,
    step_setter,
    title_block,
)
from appliance.ui.widgets import Rect, Widget

if TYPE_CHECKING:
    from appliance.ui.context import ScreenContext

STEPS = ("service", "stars", "comment", "review")


def build(app: ScreenContext, b: Builder) -> None:
    s = app.session
    step = s.rating_step
    title_block(app, b, "home.rating", STEPS.index(step) + 1, len(STEPS))

    goto = step_setter(app, "rating_step")

    services = app.content.get("services", [])
    service = by_id(services, s.rating_service)
    if step == "service":
        b.heading("question", app.t("rating.service"))
        b.footer([back_home(app), next_button(app, goto("stars"), enabled=service is not None)])
        pick_one(app, b, services, "service", "rating_service")
    elif step == "stars":
        b.heading("question", app.t("rating.stars"))
        if service:
            b.text("service", label(service, app.lang), style="strong")
        b.footer(
            [
                button("back", app.t("flow.back"), goto("service")),
                next_button(app, goto("comment"), enabled=s.rating_stars > 0),
            ]
        )
        _stars(app, b)
    elif step == "comment":
        b.heading("question", app.t("rating.comment"))
        b.footer(
            [
                button("back", app.t("flow.back"), goto("stars")),
                button("skip", app.t("flow.skip"), _skip(app)),
                next_button(app, goto("review")),
            ]
        )
        place_keyboard(app, b, s.rating_keyboard, app.changed)
        place_textbox(app, b, "comment-text", app.t("rating.textbox"), s.rating_keyboard)
    else:
        b.heading("question", app.t("rating.review"))
        name = label(service, app.lang) if service else ""
        b.text("summary", app.t("rating.summary", service=name, n=s.rating_stars), style="strong")
        if s.rating_keyboard.text.strip():
            b.text("comment", s.rating_keyboard.text.strip(), style="quote")
        b.footer(
            [
                button("edit", app.t("flow.edit"), goto("stars")),
                button("send", app.t("flow.send"), lambda: _send(app), primary=True),
            ]
        )


def _stars(app: ScreenContext, b: Builder) -> None:
    m = b.m
    s = app.session
    size = max(m.target, min((b.area.w - 4 * m.gap) // 5, round(2.8 * m.target)))
    left = b.area.x + (b.area.w - (5 * size + 4 * m.gap)) // 2
    top = b.y + m.gap
    for n in range(1, 6):
        text = app.t(f"rating.star.{n}")  # what a screen reader says: the note and its meaning

        def rate(n: int = n) -> None:
            s.rating_stars = n

        b.add(
            Widget(
                f"star-{n}",
                "star",
                text,
                Rect(left + (n - 1) * (size + m.gap), top, size, size),
                state={"value": s.rating_stars, "checked": n <= s.rating_stars},
                action=rate,
                style="star",
                font_size=m.small,
                lines=fonts.wrap(str(n), m.small, size),
            )
        )
    b.y = top + size + 2 * m.gap
    if s.rating_stars:
        b.text(
            "stars-value",
            _stars_text(app, s.rating_stars),
            m.heading,
            style="strong-center",
        )


def _stars_text(app: ScreenContext, n: int) -> str:
    return app.t("rating.star.one") if n == 1 else app.t("rating.star.many", n=n)


def _skip(app: ScreenContext):
    def skip() -> None:
        app.session.rating_keyboard.clear()
        app.session.rating_step = "review"

    return skip


def _send(app: ScreenContext) -> None:
    s = app.session
    payload = {"service": s.rating_service, "stars": s.rating_stars}
    comment = s.rating_keyboard.text.strip()
    if comment:  # optional: absent when the citizen wrote nothing
        payload["comment"] = comment
    if app.submit("rating", payload):
        s.rating_step, s.rating_service, s.rating_stars = "service", None, 0
        s.rating_keyboard.clear()
