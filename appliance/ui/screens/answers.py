"""Ideas taken up: what the town hall answered to citizens' ideas, from its signed content
(`answers`, written by the agents on the hub), a page at a time. This is what makes a
citizen come back: their idea was read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from appliance.ui.layout import Builder
from appliance.ui.screens.parts import NOWHERE, back_home, pager, title_block
from appliance.ui.widgets import Widget

if TYPE_CHECKING:
    from appliance.ui.context import ScreenContext


def card_text(app: ScreenContext, item: dict) -> str:
    """The idea as the citizen wrote it, then where it stands and the town hall's answer."""
    status = app.t(f"answers.status.{item['status']}")
    return app.t("answers.card", text=item["text"], status=status, answer=item["answer"])


def build(app: ScreenContext, b: Builder) -> None:
    title_block(app, b, "answers.title")
    b.footer([back_home(app)])
    answered = app.content.get("answers", [])
    b.text("intro", app.t("answers.intro" if answered else "answers.none"))
    cards = [
        Widget(f"answer-{n}", "text", card_text(app, item), NOWHERE, style="card")
        for n, item in enumerate(answered)
    ]
    b.choice_rows(cards, 1, pager(app, "answers"))
