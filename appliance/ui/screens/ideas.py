"""Idea box: category → text on the keyboard → review → send."""

from __future__ import annotations

from typing import TYPE_CHECKING

from appliance.content import label
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

if TYPE_CHECKING:
    from appliance.ui.context import ScreenContext

# An idea the town hall can act on says a few words at least; a stray tap or two does not.
MIN_IDEA_CHARACTERS = 10
STEPS = ("category", "text", "review")


def build(app: ScreenContext, b: Builder) -> None:
    s = app.session
    step = s.idea_step
    title_block(app, b, "home.ideas", STEPS.index(step) + 1, len(STEPS))

    goto = step_setter(app, "idea_step")

    categories = app.content.get("idea_categories", [])
    category = by_id(categories, s.idea_category)
    if step == "category":
        b.heading("question", app.t("ideas.category"))
        b.footer([back_home(app), next_button(app, goto("text"), enabled=category is not None)])
        pick_one(app, b, categories, "category", "idea_category")
    elif step == "text":
        b.heading("question", app.t("ideas.text"))
        missing = MIN_IDEA_CHARACTERS - len(s.idea_keyboard.text.strip())
        b.footer(
            [
                button("back", app.t("flow.back"), goto("category")),
                next_button(app, goto("review"), enabled=missing <= 0),
            ]
        )
        place_keyboard(app, b, s.idea_keyboard, app.changed)
        if missing > 0:  # why "Suivant" is grey, before the citizen wonders
            b.text("idea-hint", app.t("ideas.too_short", n=missing), style="muted")
        place_textbox(app, b, "idea-text", app.t("ideas.textbox"), s.idea_keyboard)
    else:
        b.heading("question", app.t("ideas.review"))
        if category:
            b.text("category", label(category, app.lang), style="strong")
        b.text("idea", s.idea_keyboard.text.strip(), style="quote")
        b.text("hint", app.t("ideas.review.hint"), b.m.small, style="muted")
        b.footer(
            [
                button("edit", app.t("flow.edit"), goto("text")),
                button("send", app.t("flow.send"), lambda: _send(app), primary=True),
            ]
        )


def _send(app: ScreenContext) -> None:
    s = app.session
    payload = {"category": s.idea_category, "text": s.idea_keyboard.text.strip()}
    if app.submit("idea", payload):
        s.idea_step, s.idea_category = "category", None
        s.idea_keyboard.clear()
