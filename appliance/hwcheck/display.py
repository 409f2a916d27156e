"""Display: a connected DRM connector, its modes, and the configured size among them."""

from __future__ import annotations

from dataclasses import dataclass

from appliance.hwcheck.context import CheckContext
from appliance.hwcheck.result import CheckResult, fail, ok, warn


@dataclass(frozen=True)
class Connector:
    name: str  # "card0-HDMI-A-1"
    status: str  # connected, disconnected, unknown
    modes: tuple[str, ...]  # "1920x1080", first is preferred

    @property
    def connected(self) -> bool:
        return self.status == "connected"


def evaluate_display(
    connectors: list[Connector] | None, size: tuple[int, int] | None
) -> CheckResult:
    if connectors is None:
        return fail(
            "display",
            "E-DISPLAY",
            "Aucune carte graphique détectée.",
            "No display controller found (/sys/class/drm).",
        )
    details: dict = {"connectors": {c.name: c.status for c in connectors}}
    connected = [c for c in connectors if c.connected]
    if not connected:
        return fail(
            "display", "E-DISPLAY", "Aucun écran branché.", "No screen connected.", **details
        )
    screen = connected[0]
    details.update(connector=screen.name, modes=list(screen.modes[:12]))
    label = screen.name.split("-", 1)[-1]
    if size is None:
        return ok("display", f"Écran branché ({label}).", f"Screen connected ({label}).", **details)
    wanted = {f"{size[0]}x{size[1]}", f"{size[1]}x{size[0]}"}  # rotation is done in software
    details["configured_size"] = f"{size[0]}x{size[1]}"
    if screen.modes and not wanted & {mode.split("i")[0] for mode in screen.modes}:
        return warn(
            "display",
            "W-DISPLAY-MODE",
            f"L'écran ({label}) ne propose pas la taille configurée {size[0]}x{size[1]}.",
            f"The screen ({label}) does not offer the configured size {size[0]}x{size[1]}.",
            **details,
        )
    return ok("display", f"Écran branché ({label}).", f"Screen connected ({label}).", **details)


def read_connectors(ctx: CheckContext) -> list[Connector] | None:
    cards = ctx.sysroot.glob("sys/class/drm/card[0-9]*")
    if not cards:
        return None
    connectors = []
    for path in cards:
        status = ctx.sysroot.read(f"{path}/status")
        if "-" not in path.name or status is None:
            continue  # card0 itself, or a render node
        modes = tuple(m.strip() for m in (ctx.sysroot.read(f"{path}/modes") or "").splitlines())
        connectors.append(Connector(path.name, status.strip(), tuple(m for m in modes if m)))
    return connectors


def check_display(ctx: CheckContext) -> CheckResult:
    size = ctx.config.screen_size if ctx.config is not None else None
    return evaluate_display(read_connectors(ctx), size)
