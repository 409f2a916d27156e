"""Useful sites: a tile per allowed public site; a tap hands the screen to its browser.

While the browser has the screen (the "visit" screen) the kiosk draws nothing: its frame
only shows in the moment the browser starts, and its idle countdown is told to the browser
(runtime/visits.py) to show in the browser's own bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from appliance.content import label
from appliance.ui.layout import Builder
from appliance.ui.screens.parts import back_home, columns, pager, title_block
from appliance.ui.widgets import Widget

if TYPE_CHECKING:
    from appliance.ui.context import ScreenContext


def build(app: ScreenContext, b: Builder) -> None:
    title_block(app, b, "sites.title")
    b.footer([back_home(app)])
    sites = app.content.get("sites", [])
    tiles = []
    for site in sites:

        def pick(site_id: str = site["id"]) -> None:
            app.open_site(site_id)

        tiles.append(
            Widget(
                f"site-{site['id']}",
                "button",
                label(site, app.lang),
                b.area,
                action=pick,
                style="site",
                font_size=b.m.heading,
            )
        )
    b.choice_rows(tiles, columns(app, len(tiles)), pager(app, "sites"))


def build_visit(app: ScreenContext, b: Builder) -> None:
    site = app.visiting
    name = label(site, app.lang) if site else app.t("sites.title")  # (a screenshot's)
    b.text("visit-opening", app.t("sites.opening", site=name), style="strong")
