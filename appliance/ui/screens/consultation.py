"""Consultations: question → choice → confirm → receipt.

The citizen picks a consultation, then an answer, and confirms with "Confirmer" on the
same screen (a deliberate second touch; nothing is sent on the choice alone); a
consultation that requires a voting code asks for it before the confirmation. The
receipt is the thanks screen. One answer per session and consultation: an answered
consultation stays listed but cannot be chosen again.

Only a consultation with codes is a vote: the hub burns each code once, so one code is
one ballot whatever the kiosk. Without codes nothing tells two citizens from one coming
back, so the screen says "avis" (an opinion poll) and never promises one vote per person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from appliance.content import label
from appliance.ui.keyboard_view import place_keyboard, place_textbox
from appliance.ui.layout import Builder
from appliance.ui.screens.parts import (
    back_home,
    button,
    by_id,
    columns,
    next_button,
    option,
    pager,
    pick_one,
    step_setter,
    title_block,
)

if TYPE_CHECKING:
    from appliance.ui.context import ScreenContext


def build(app: ScreenContext, b: Builder) -> None:
    s = app.session
    consultations = app.content.get("consultations", [])
    current = by_id(consultations, s.consultation)
    needs_code = bool(current and current.get("requires_code"))
    steps = ["list", "choose", "code"] if needs_code else ["list", "choose"]
    step = s.consultation_step if current and s.consultation_step in steps else "list"
    title_block(app, b, "home.consultation", steps.index(step) + 1, len(steps))

    goto = step_setter(app, "consultation_step")

    if step == "list":
        _list(app, b, consultations, current, goto("choose"))
    elif step == "choose":
        b.heading("question", label(current, app.lang, "question"))
        if current.get("details"):
            b.text("details", label(current, app.lang, "details"))
        b.text(
            "once",
            app.t("consultation.once" if needs_code else "consultation.poll"),
            b.m.small,
            style="muted",
        )
        chosen = s.consultation_choice is not None and current["id"] not in s.voted
        if needs_code:
            forward = button(
                "validate", app.t("flow.validate"), goto("code"), primary=True, enabled=chosen
            )
        else:
            forward = button(
                "confirm",
                app.t("consultation.send_opinion"),
                lambda: _vote(app),
                primary=True,
                enabled=chosen,
            )
        b.footer([button("back", app.t("flow.back"), goto("list")), forward])
        pick_one(
            app, b, current["choices"], "choice", "consultation_choice", f"choices-{current['id']}"
        )
    else:
        b.heading("question", app.t("consultation.code"))
        b.footer(
            [
                button("back", app.t("flow.back"), goto("choose")),
                button(
                    "confirm",
                    app.t("flow.confirm"),
                    lambda: _vote(app),
                    primary=True,
                    enabled=bool(s.code_keyboard.text.strip()),
                ),
            ]
        )
        place_keyboard(app, b, s.code_keyboard, app.changed)
        place_textbox(app, b, "code-text", app.t("consultation.code.textbox"), s.code_keyboard)


def _list(app: ScreenContext, b: Builder, consultations: list, current, forward) -> None:
    s = app.session
    b.heading("question", app.t("consultation.list"))
    b.footer(
        [
            back_home(app),
            next_button(app, forward, enabled=current is not None),
        ]
    )
    if not consultations:
        b.text("none", app.t("consultation.none"))
    items = []
    for c in consultations:
        voted = c["id"] in s.voted
        text = label(c, app.lang, "question")
        if voted:
            done = "consultation.voted" if c.get("requires_code") else "consultation.answered"
            text = f"{text} ({app.t(done)})"
        items.append(
            option(
                f"consultation-{c['id']}",
                text,
                s.consultation == c["id"],
                _pick(app, c["id"]),
                enabled=not voted,
                state={"voted": voted},
            )
        )
    b.choice_rows(items, columns(app, len(items)), pager(app, "consultations"))


def _pick(app: ScreenContext, consultation_id: str):
    def pick() -> None:
        s = app.session
        if s.consultation != consultation_id:
            s.consultation, s.consultation_choice = consultation_id, None
            s.code_keyboard.clear()
            s.code_keyboard.digits = True  # voting codes are digits first

    return pick


def _vote(app: ScreenContext) -> None:
    s = app.session
    current = by_id(app.content["consultations"], s.consultation)
    if current is None or current["id"] in s.voted or s.consultation_choice is None:
        return
    payload = {"consultation": current["id"], "choice": s.consultation_choice, "session": s.token}
    if current.get("requires_code"):
        payload["code"] = s.code_keyboard.text.strip()
    if app.submit("vote", payload, thanks="vote" if "code" in payload else "opinion"):
        s.voted.add(current["id"])
        s.consultation, s.consultation_choice, s.consultation_step = None, None, "list"
        s.code_keyboard.clear()
