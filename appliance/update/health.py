"""The health check of a slot started on trial: is this release fit to keep? (pure)

After `reboot "0 tryboot"` the new slot runs once. It is kept (RAUC's mark-good and
mark-active, which swap autoboot.txt) only when, within the time limit:

- the UI drew its first frame (totem-ui.service is active: it signals READY after it),
- no hardware check failed critically (the hwcheck report of this boot),
- the data partition is mounted read-write (the outbox lives there),
- the hub answered this boot's heartbeat, when the totem has a hub of its own.

Otherwise the totem restarts and the firmware starts the old slot again.
"""

from __future__ import annotations

from dataclasses import dataclass

HEALTH_LIMIT_S = 420  # a real Pi is ready in under a minute; QEMU's emulation needs minutes
UI_GIVE_UP_RESTARTS = 5  # systemd restarts a UI that died 2 s later: it will not come up


@dataclass(frozen=True)
class Observed:
    ui_active: bool
    ui_restarts: int
    hwcheck_done: bool  # this boot's report exists
    critical: tuple[str, ...]  # codes of critical failures in it
    data_writable: bool
    hub_expected: bool
    hub_reached: bool


def missing(seen: Observed) -> list[str]:
    """What this release still lacks to be kept, in words for the hub's page; [] = healthy."""
    lacking = []
    if not seen.ui_active:
        lacking.append(
            "the UI has not drawn its first frame"
            + (f" (restarted {seen.ui_restarts} times)" if seen.ui_restarts else "")
        )
    if not seen.hwcheck_done:
        lacking.append("the hardware checks have not reported yet")
    elif seen.critical:
        lacking.append("critical hardware check failed: " + ", ".join(seen.critical))
    if not seen.data_writable:
        lacking.append("the data partition is not mounted read-write")
    if seen.hub_expected and not seen.hub_reached:
        lacking.append("the hub has not answered a heartbeat")
    return lacking


def hopeless(seen: Observed) -> bool:
    """Waiting longer will not help: the UI died and was restarted again and again."""
    return not seen.ui_active and seen.ui_restarts >= UI_GIVE_UP_RESTARTS
