"""Useful sites: tiles of the allowed public sites (opening them in a browser comes later)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from appliance.content import label
from appliance.ui.layout import Builder
from appliance.ui.screens.parts import back_home, columns, pager, title_block
from appliance.ui.widgets import Widget

if TYPE_CHECKING:
    from appliance.ui.context import ScreenContext


def build(app: ScreenContext, b: Builder) -> None:
    s = app.session
    title_block(app, b, "sites.title")
    b.footer([back_home(app)])
    sites = app.content.get("sites", [])
    tiles = []
    for site in sites:

        def pick(site_id: str = site["id"]) -> None:
            s.site = site_id

        tiles.append(
            Widget(
                f"site-{site['id']}",
                "button",
                label(site, app.lang),
                b.area,
                action=pick,
                state={"selected": s.site == site["id"]},
                style="site",
                font_size=b.m.heading,
            )
        )
    b.choice_rows(tiles, columns(app, len(tiles)), pager(app, "sites"))
    chosen = next((x for x in sites if x["id"] == s.site), None)
    if chosen:
        host = urlsplit(chosen["url"]).hostname or chosen["url"]
        b.text("site-note", app.t("sites.soon", url=host), style="strong")
