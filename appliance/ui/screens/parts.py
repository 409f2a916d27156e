"""Pieces every screen uses: buttons, options, step line, title block."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from appliance.ui.layout import Builder, Pager
from appliance.ui.widgets import Rect, Widget

if TYPE_CHECKING:
    from appliance.ui.app import KioskApp

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


def title_block(app: KioskApp, b: Builder, title_key: str, step: int = 0, total: int = 0) -> None:
    b.heading("title", app.t(title_key), b.m.title)
    if step:
        b.text("step", app.t("step", n=step, total=total), b.m.small, style="muted")


def back_home(app: KioskApp) -> Widget:
    return button("back", app.t("flow.back"), lambda: app.go("home"))


def pager(app: KioskApp, key: str) -> Pager:
    """Paging state of the list `key` in this session (pages reset with the session)."""
    pages = app.session.pages

    def turn(page: int) -> None:
        pages[key] = page

    return Pager(pages.get(key, 0), turn, app.t("list.previous"), app.t("list.more"))


def columns(app: KioskApp, count: int) -> int:
    """Two columns of choices on a landscape screen, where full-width rows read badly."""
    return 2 if app.metrics.landscape and count > 2 else 1
