"""Screens that mostly inform: thanks, apology, privacy notice, out of service."""

from __future__ import annotations

from typing import TYPE_CHECKING

from appliance.ui.layout import Builder
from appliance.ui.screens.parts import button

if TYPE_CHECKING:
    from appliance.ui.context import ScreenContext


def build_thanks(app: ScreenContext, b: Builder) -> None:
    s = app.session
    b.footer([button("home", app.t("flow.home"), lambda: app.go("home"), primary=True)])
    b.text("mark", "✔", b.m.title * 3, style="icon")
    b.heading("title", app.t("thanks.title"), round(b.m.title * 1.4), align="center")
    b.text("body", app.t(f"thanks.{s.thanks_kind}"), b.m.heading, align="center")
    if s.thanks_kind in ("vote", "opinion") and s.receipt:
        b.text("receipt", app.t("thanks.receipt", receipt=s.receipt), style="muted", align="center")
    b.center_vertically(1)


def build_sorry(app: ScreenContext, b: Builder) -> None:
    b.footer([button("home", app.t("flow.home"), lambda: app.go("home"), primary=True)])
    b.text("mark", "!", b.m.title * 3, style="icon-danger")
    b.heading("title", app.t("sorry.title"), b.m.title, align="center")
    b.text("body", app.t("sorry.body"), b.m.heading, align="center")
    b.center_vertically(1)


def build_privacy(app: ScreenContext, b: Builder) -> None:
    b.heading("title", app.t("privacy.title"), b.m.title)
    wipe = duration(app, app.idle_seconds + app.countdown_seconds)
    for index, paragraph in enumerate(app.t("privacy.body", wipe=wipe).split("\n")):
        b.text(f"body-{index}", paragraph)
    b.footer([button("back", app.t("flow.back"), lambda: app.go("home"), primary=True)])


def duration(app: ScreenContext, seconds: int) -> str:
    """How long, as a citizen reads it: "80 secondes", "une minute", "2 min 30 s"."""
    minutes, rest = divmod(seconds, 60)
    if seconds < 120 and seconds != 60:
        return app.t("duration.seconds", n=seconds)
    if rest:
        return app.t("duration.minutes_seconds", m=minutes, s=rest)
    return app.t("duration.minute") if minutes == 1 else app.t("duration.minutes", n=minutes)


def build_out_of_service(app: ScreenContext, b: Builder) -> None:
    problem = app.problem
    b.text("mark", "⚠", b.m.title * 3, style="icon-danger")
    b.heading("title", app.t("oos.title"), b.m.title, align="center")
    b.text("body", app.t("oos.body"), b.m.heading, align="center")
    if problem is not None and problem.message.text(app.lang):
        b.text("problem", problem.message.text(app.lang), style="muted", align="center")
    if problem is not None and problem.code:
        b.text("code", app.t("oos.code", code=problem.code), style="muted", align="center")
    b.center_vertically()
