"""A replacement touch panel accepted from the service menu (I/O).

A new panel is refused like any other unknown HID device (usbpolicy.py): only the one
pinned at first boot is let in. The technician who swapped it sees it on the menu's
"Dalle tactile" page and accepts it there; the kiosk asks (service/errands.py,
`panel-requested`, naming the port the page showed) and root's
`totem-service-panel.path` runs `totem usb accept-panel`, which checks the device on
that port again — still plain HID without a keyboard, still refused — pins it in place of
the panels no longer plugged, authorizes it, and answers the kiosk and the audit log.
The touch source picks the panel up through udev like any panel plugged.
"""

from __future__ import annotations

from pathlib import Path

from appliance.said import Said
from appliance.service import audit, errands, usbpolicy

REQUEST = errands.PANEL_REQUEST
RESULT = errands.PANEL_RESULT


def accept(data_dir: Path, result_file: Path, sysfs: Path = usbpolicy.SYSFS) -> dict:
    """Carry out the pending request, if any; the outcome written and returned."""
    try:
        asked = errands.take_request(data_dir, REQUEST)
    except ValueError as error:
        said = Said(f"no panel asked ({error})", f"aucune dalle demandée ({error})")
        return {"ok": False, "reason": said.as_json()}
    visit, port = asked["visit"], asked.get("port", "")
    try:
        outcome = {"visit": visit, "ok": True, **_accept(Path(data_dir), Path(sysfs), port)}
        audit.record(data_dir, "panel-accepted", visit=visit, ident=outcome["ident"], port=port)
    except PanelRefused as error:
        outcome = {"visit": visit, "ok": False, "reason": error.said.as_json()}
        audit.record(data_dir, "panel-refused", visit=visit, port=port, reason=error.said.en)
    errands.answer(result_file, outcome)
    return outcome


class PanelRefused(Exception):
    def __init__(self, en: str, fr: str):
        super().__init__(en)
        self.said = Said(en, fr)


def _accept(data_dir: Path, sysfs: Path, port: str) -> dict:
    devices, _ = usbpolicy.read_devices(sysfs, [p.name for p in sysfs.iterdir()])
    chosen = [d for d in devices if d.port == port]
    if not chosen:
        raise PanelRefused(
            f"no USB device on port {port!r} any more",
            f"plus aucun appareil USB sur le port {port!r}",
        )
    pins = usbpolicy.load_pins(data_dir) or []
    if chosen[0] not in usbpolicy.replacement_candidates(devices, pins):
        raise PanelRefused(
            f"the device on port {port} cannot be a touch panel",
            f"l'appareil du port {port} ne peut pas être une dalle tactile",
        )
    panel = chosen[0]
    try:
        usbpolicy.save_pins(data_dir, usbpolicy.replace_panel(pins, devices, panel))
        (sysfs / port / "authorized").write_text("1\n")
    except OSError as error:
        raise PanelRefused(
            f"cannot accept it: {error}", f"acceptation impossible : {error}"
        ) from None
    return {"ident": panel.ident, "port": port}
