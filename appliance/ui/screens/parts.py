"""Pieces every screen uses: buttons, options, step line, title block."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from appliance.content import label
from appliance.ui.layout import Builder, Pager
from appliance.ui.widgets import Rect, Widget

if TYPE_CHECKING:
    from appliance.ui.context import ScreenContext

NOWHERE = Rect(0, 0, 0, 0)  # the builder places the widget


def button(
    wid: str, label: str, action: Callable[[], None], *, primary: bool = False, enabled: bool = True
) -> Widget:
    return Widget(
        wid,
        "button",
        label,
        NOWHERE,
        enabled=enabled,
        action=action,
        style="primary" if primary else "secondary",
    )


def option(
    wid: str,
    label: str,
    selected: bool,
    action: Callable[[], None],
    *,
    enabled: bool = True,
    state: dict | None = None,
) -> Widget:
    return Widget(
        wid,
        "option",
        label,
        NOWHERE,
        enabled=enabled,
        state={"selected": selected, **(state or {})},
        action=action,
        style="option",
    )


def step_setter(app: ScreenContext, field: str) -> Callable[[str], Callable[[], None]]:
    """`goto(step)`: the action that moves the flow kept in session attribute `field`."""

    def goto(step: str) -> Callable[[], None]:
        return lambda: setattr(app.session, field, step)

    return goto


def next_button(app: ScreenContext, action: Callable[[], None], *, enabled: bool = True) -> Widget:
    return button("next", app.t("flow.next"), action, primary=True, enabled=enabled)


def by_id(items: list[dict], wanted: str | None) -> dict | None:
    """The content item whose `id` is `wanted` (what the session remembers), or None."""
    return next((item for item in items if item["id"] == wanted), None)


def pick_one(
    app: ScreenContext,
    b: Builder,
    items: list[dict],
    prefix: str,
    field: str,
    pages: str | None = None,
) -> None:
    """Options for content `items`, one of which the citizen picks; the chosen item's id is
    kept in the session attribute `field`. A long list is shown a page at a time, its page
    remembered under `pages` (default: `field`)."""
    s = app.session

    def choose(item_id: str) -> Callable[[], None]:
        return lambda: setattr(s, field, item_id)

    b.choice_rows(
        [
            option(
                f"{prefix}-{item['id']}",
                label(item, app.lang),
                getattr(s, field) == item["id"],
                choose(item["id"]),
            )
            for item in items
        ],
        columns(app, len(items)),
        pager(app, pages or field),
    )


def title_block(
    app: ScreenContext, b: Builder, title_key: str, step: int = 0, total: int = 0
) -> None:
    b.heading("title", app.t(title_key), b.m.title)
    if step:
        b.text("step", app.t("step", n=step, total=total), b.m.small, style="muted")


def back_home(app: ScreenContext) -> Widget:
    return button("back", app.t("flow.back"), lambda: app.go("home"))


def pager(app: ScreenContext, key: str) -> Pager:
    """Paging state of the list `key` in this session (pages reset with the session)."""
    pages = app.session.pages

    def turn(page: int) -> None:
        pages[key] = page

    return Pager(pages.get(key, 0), turn, app.t("list.previous"), app.t("list.more"))


def columns(app: ScreenContext, count: int) -> int:
    """Two columns of choices on a landscape screen, where full-width rows read badly."""
    return 2 if app.metrics.landscape and count > 2 else 1
