"""Installing a bundle through RAUC's D-Bus service, as the sync user (I/O).

`de.pengutronix.rauc.Installer.InstallBundle` starts the install and returns at once; RAUC
then publishes `Progress` (percentage, message, depth) as a property change and ends with
the `Completed` signal (0 = installed). Its `LastError` property says why it failed. The
D-Bus policy of the image lets only root and the `totem` user call it. The GLib main loop
(python3-gi) is what hears the signals; nothing else in the appliance needs one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

BUS_NAME = "de.pengutronix.rauc"
INSTALLER = "de.pengutronix.rauc.Installer"
PROPERTIES = "org.freedesktop.DBus.Properties"
SYSTEM_CONF = Path("/etc/rauc/system.conf")  # only a totem image has one
INSTALL_LIMIT_S = 3600  # writing 1.5 GB to a slow card; far beyond it RAUC is stuck

Progress = Callable[[int, str], None]


class InstallFailed(Exception):
    """RAUC did not install the bundle; the message says why, in a technician's words."""


def available(conf: Path = SYSTEM_CONF) -> bool:
    return conf.exists()


def explain(last_error: str) -> str:
    """RAUC's LastError in one line that names the cause first (pure)."""
    text = " ".join(last_error.split())[:400] or "RAUC gave no reason"
    lowered = text.lower()
    if "signature" in lowered or "verify" in lowered or "certificate" in lowered:
        return f"bundle signature refused (not signed by this totem's keyring): {text}"
    if "compatible" in lowered:
        return f"bundle made for another kind of totem: {text}"
    if "not newer" in lowered or "on trial" in lowered:
        return f"refused by the totem before writing: {text}"
    if "no space" in lowered or "too small" in lowered:
        return f"the slot cannot hold this bundle: {text}"
    return f"install failed: {text}"


def install(bundle: Path, progress: Progress | None = None, limit_s: int = INSTALL_LIMIT_S) -> None:
    """Install `bundle` into the slots not running; returns when RAUC says it is done."""
    import dbus
    from dbus.mainloop.glib import DBusGMainLoop
    from gi.repository import GLib

    DBusGMainLoop(set_as_default=True)
    try:
        bus = dbus.SystemBus()
        service = bus.get_object(BUS_NAME, "/")
    except dbus.DBusException as error:
        raise InstallFailed(f"RAUC's service does not answer: {error}") from None
    loop = GLib.MainLoop()
    outcome: dict[str, int | None] = {}

    def completed(code: int) -> None:
        outcome["code"] = int(code)
        loop.quit()

    def changed(interface: str, values: dict, _invalidated: list) -> None:
        if interface == INSTALLER and "Progress" in values and progress is not None:
            percent, message, _depth = values["Progress"]
            progress(int(percent), str(message))

    def too_long() -> bool:
        outcome.setdefault("code", None)
        loop.quit()
        return False

    bus.add_signal_receiver(completed, "Completed", INSTALLER, BUS_NAME, "/")
    bus.add_signal_receiver(changed, "PropertiesChanged", PROPERTIES, BUS_NAME, "/")
    try:
        service.InstallBundle(
            str(bundle), dbus.Dictionary({}, signature="sv"), dbus_interface=INSTALLER
        )
    except dbus.DBusException as error:
        raise InstallFailed(explain(error.get_dbus_message() or str(error))) from None
    GLib.timeout_add_seconds(limit_s, too_long)
    loop.run()
    if outcome.get("code") is None:
        raise InstallFailed(f"RAUC did not finish within {limit_s} s")
    if outcome["code"] != 0:
        last = service.Get(INSTALLER, "LastError", dbus_interface=PROPERTIES)
        raise InstallFailed(explain(str(last)))
