"""The technician's service menu: who opened it, then one page per thing a technician does.

Shown only while `app.service` holds a valid dongle's visit (appliance/service/menu.py);
its facts were gathered by the kiosk when the page opened (appliance/service/facts.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from appliance.ui.layout import Builder
from appliance.ui.screens.parts import button, columns, pager
from appliance.ui.widgets import Rect, Widget

if TYPE_CHECKING:
    from appliance.service.menu import ServiceMode
    from appliance.ui.context import ScreenContext

MARKS = {"ok": "✔", "warn": "⚠", "fail": "✖", "skip": "–"}
STYLES = {"ok": "text", "warn": "strong", "fail": "strong", "skip": "muted"}
MENU = (
    ("diagnostics", "service.diagnostics"),
    ("network", "service.network"),
    ("outbox", "service.outbox"),
    ("calibration", "service.calibration"),
    ("panel", "service.panel"),
    ("install", "service.install"),
    ("export", "service.export"),
    ("reboot", "service.reboot"),
)


def build(app: ScreenContext, b: Builder) -> None:
    mode = app.service
    if mode is None:  # closed between two frames: nothing of it stays on screen
        b.heading("title", app.t("service.title"), b.m.title)
        return
    PAGES[mode.page](app, mode, b)


def _menu(app: ScreenContext, mode: ServiceMode, b: Builder) -> None:
    visit = mode.visit
    b.heading("title", app.t("service.title"), b.m.title)
    b.text("technician", app.t("service.who", technician=visit.technician, serial=visit.serial))
    expires = visit.expires.replace("T", " ")[:16] + " UTC"  # 2027-01-05 09:00 UTC
    b.text("expires", app.t("service.until", expires=expires), style="muted")
    b.footer([button("leave", app.t("service.leave"), app.leave_service, primary=True)])
    pages = [button(f"page-{page}", app.t(key), _opener(app, page)) for page, key in MENU]
    b.choice_rows(pages, columns(app, len(pages)), pager(app, "service-menu"))


def _opener(app: ScreenContext, page: str):
    return lambda: app.open_service_page(page)


def _page_frame(app: ScreenContext, b: Builder, title_key: str) -> None:
    b.heading("title", app.t(title_key), b.m.title)
    b.footer(
        [
            button("back", app.t("flow.back"), _opener(app, "menu")),
            button("leave", app.t("service.leave"), app.leave_service, primary=True),
        ]
    )


def _diagnostics(app: ScreenContext, mode: ServiceMode, b: Builder) -> None:
    _page_frame(app, b, "service.diagnostics")
    facts = mode.facts
    if not facts.checks:
        b.text("none", app.t("service.no_report"), style="strong")
        return
    b.text("checked", app.t("service.checked_at", at=facts.checked_at), b.m.small, "muted")
    for index, check in enumerate(facts.checks):
        code = f" ({check.code})" if check.code else ""
        line = f"{MARKS.get(check.status, '?')} {check.said.text(app.lang)}{code}"
        b.text(f"check-{index}", line, b.m.small, STYLES.get(check.status, "text"))


def _network(app: ScreenContext, mode: ServiceMode, b: Builder) -> None:
    _page_frame(app, b, "service.network")
    for index, said in enumerate(mode.facts.network):
        b.text(f"network-{index}", said.text(app.lang), b.m.small)


def _outbox(app: ScreenContext, mode: ServiceMode, b: Builder) -> None:
    _page_frame(app, b, "service.outbox")
    facts = mode.facts
    if facts.pending is None:
        b.text("unreadable", app.t("service.outbox_unreadable"), style="strong")
        return
    never = app.t("service.never")
    b.text("pending", app.t("service.pending", n=facts.pending))
    b.text("oldest", app.t("service.oldest", at=facts.oldest_pending or never))
    b.text("rejected", app.t("service.rejected", n=facts.rejected))
    b.text("last-sent", app.t("service.last_sent", at=facts.last_sent or never))


def _calibration(app: ScreenContext, mode: ServiceMode, b: Builder) -> None:
    b.heading("title", app.t("service.calibration"), b.m.title)
    if mode.outcome is not None:
        b.text("outcome", mode.outcome.text(app.lang), style="strong")
        b.footer(
            [
                button("back", app.t("flow.back"), _opener(app, "menu")),
                button("again", app.t("service.calibration_again"), _opener(app, "calibration")),
                button("undo", app.t("service.calibration_undo"), app.undo_calibration),
            ]
        )
        return
    aimed = app.calibration_targets()
    done = len(mode.touches)
    b.text("instruction", app.t("service.calibration_touch", n=done + 1, total=len(aimed)))
    x, y = aimed[done]
    side = 2 * b.m.target
    label = app.t("service.calibration_target", n=done + 1, total=len(aimed))
    # Not a button: the touch is taken wherever it lands, which is what is measured.
    b.widgets.append(
        Widget(
            f"target-{done + 1}",
            "image",
            label,
            Rect(x - side // 2, y - side // 2, side, side),
            style="crosshair",
        )
    )


def _panel(app: ScreenContext, mode: ServiceMode, b: Builder) -> None:
    _page_frame(app, b, "service.panel")
    if mode.outcome is not None:
        b.text("outcome", mode.outcome.text(app.lang), style="strong")
        return
    if not mode.facts.panels:
        b.text("none", app.t("service.panel_none"))
        return
    b.text("body", app.t("service.panel_body"))
    choices = [
        button(
            f"accept-{port}",
            app.t("service.panel_accept", ident=ident, port=port),
            _acceptor(app, ident, port),
        )  # fmt: skip
        for ident, port in mode.facts.panels
    ]
    b.choice_rows(choices)


def _acceptor(app: ScreenContext, ident: str, port: str):
    return lambda: app.accept_panel(ident, port)


def _install(app: ScreenContext, mode: ServiceMode, b: Builder) -> None:
    _page_frame(app, b, "service.install")
    if mode.install_said is not None:
        b.text("outcome", mode.install_said.text(app.lang), style="strong")
    elif mode.installing:
        b.text("outcome", app.t("service.install_asked"), style="strong")
    if mode.installed:
        restart = button("trial-restart", app.t("service.trial_restart"), app.restart_for_trial,
                         primary=True)  # fmt: skip
        b.choice_rows([restart])
    elif not mode.installing:
        b.text("body", app.t("service.install_body", release=mode.facts.release or "?"))
        install = button("install-now", app.t("service.install_now"), app.install_from_stick,
                         primary=True)  # fmt: skip
        b.choice_rows([install])


def _export(app: ScreenContext, mode: ServiceMode, b: Builder) -> None:
    _page_frame(app, b, "service.export")
    if mode.outcome is not None:
        b.text("outcome", mode.outcome.text(app.lang), style="strong")
        return
    b.text("body", app.t("service.export_body"))
    b.choice_rows(
        [button("export-now", app.t("service.export_now"), app.export_logs, primary=True)]
    )


def _reboot(app: ScreenContext, mode: ServiceMode, b: Builder) -> None:
    b.heading("title", app.t("service.reboot"), b.m.title)
    b.text("body", app.t("service.reboot_body"))
    b.footer(
        [
            button("back", app.t("flow.back"), _opener(app, "menu")),
            button("reboot-now", app.t("service.reboot_now"), app.request_reboot, primary=True),
        ]
    )


PAGES = {
    "menu": _menu,
    "diagnostics": _diagnostics,
    "network": _network,
    "outbox": _outbox,
    "calibration": _calibration,
    "panel": _panel,
    "install": _install,
    "export": _export,
    "reboot": _reboot,
}
