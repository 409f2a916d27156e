"""What the service menu shows a technician, gathered when a page opens (I/O in `gather`,
plain data out): every hardware check with its code, the network's state, the outbox.

Never a citizen's text: the outbox page counts submissions, it does not show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appliance.said import Said


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # ok, warn, fail, skip
    code: str
    said: Said


@dataclass(frozen=True)
class Facts:
    checked_at: str = ""  # when the hardware report was made; "" when there is none
    checks: tuple[Check, ...] = ()
    network: tuple[Said, ...] = ()
    pending: int | None = None  # None: the outbox could not be read
    oldest_pending: str | None = None
    rejected: int = 0
    last_sent: str | None = None
    release: str = ""  # the release this slot runs
    # Plain HID devices plugged and refused: what may be accepted as a replacement panel,
    # (vendor:product, port).
    panels: tuple[tuple[str, str], ...] = ()


def gather(
    data_dir: Path, outbox: Any, netpolicy_state: Path | None = None, sysfs: Path | None = None
) -> Facts:
    """The facts now: the hardware report in `data_dir`, `outbox` (an open Outbox or None),
    the network policy's last outcome, the USB devices plugged (`sysfs`)."""
    from appliance.hwcheck.report import read_report
    from appliance.netpolicy.status import read_state
    from appliance.service import usbpolicy
    from appliance.update.version import running

    report = read_report(data_dir)
    checks = tuple(
        Check(r.name, r.status, r.code or "", r.said) for r in (report.results if report else ())
    )
    network = [c.said for c in checks if c.name.startswith("network")]
    for result in report.results if report else ():
        network += _addresses(result.details) if result.name.startswith("network") else []
    policy = read_state(netpolicy_state)
    if policy is not None:
        reason = policy.get("reason") or ""
        network.append(
            Said(
                f"Network policy: {policy['state']} ({policy.get('at')}) {reason}".strip(),
                f"Filtrage réseau : {policy['state']} ({policy.get('at')}) {reason}".strip(),
            )
        )
    network += _hub_contact(data_dir)
    pending = oldest = last = None
    rejected = 0
    if outbox is not None:
        try:
            pending, oldest = outbox.unsent_count(), outbox.oldest_unsent()
            rejected, last = outbox.rejected_count(), outbox.last_sent()
        except Exception:  # a damaged outbox: the page says it cannot be read
            pending = None
    return Facts(
        report.checked_at if report else "", checks, tuple(dict.fromkeys(network)),
        pending, oldest, rejected, last, running(), _panels(data_dir, sysfs or usbpolicy.SYSFS),
    )  # fmt: skip


def _panels(data_dir: Path, sysfs: Path) -> tuple[tuple[str, str], ...]:
    from appliance.service import usbpolicy

    pins = usbpolicy.load_pins(data_dir) or []
    found = usbpolicy.replacement_candidates(usbpolicy.plugged(sysfs), pins)
    return tuple((d.ident, d.port) for d in found)


def _addresses(details: dict) -> list[Said]:
    found = []
    for address in details.get("addresses") or []:
        found.append(Said(f"Address {address}", f"Adresse {address}"))
    if route := details.get("default_route"):
        found.append(Said(f"Default route {route}", f"Route par défaut {route}"))
    return found


def _hub_contact(data_dir: Path) -> list[Said]:
    from appliance.update.trial import last_hub_contact

    at = last_hub_contact(data_dir)
    if at is None:
        return [Said("The hub has never answered", "Le hub n'a jamais répondu")]
    return [Said(f"The hub last answered at {at}", f"Dernière réponse du hub : {at}")]
