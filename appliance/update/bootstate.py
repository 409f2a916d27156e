"""The RAUC custom bootloader backend's decisions, on plain values (pure).

RAUC knows slots by bootname (A, B) and asks four things of a bootloader: which slot is
primary, make one primary, is a slot good, mark it good or bad. On the Pi they map onto
autoboot.txt and onto a small state kept on the data partition:

- Installing into the slot not running ends with RAUC's `set-primary` of that slot. Here
  it does not touch the normal choice: it records the slot as `trying`, and the updater
  restarts with `reboot "0 tryboot"`, which starts it once.
- On that trial start, the health check's `rauc status mark-active booted` is
  `set-primary` of the running slot: only then autoboot.txt is swapped, so the new slot
  starts normally from now on.
- Any other way out of the trial (the check failed and the totem restarted, a power cut,
  a hang the watchdog ended) starts the old slot: `after_boot` sees a trial that started
  but never confirmed, marks that slot bad and reports a rollback.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from appliance.update.autoboot import Autoboot

GOOD, BAD = "good", "bad"


class BackendError(ValueError):
    """A request RAUC should not have made (unknown slot, bad state word)."""


@dataclass(frozen=True)
class BootState:
    states: dict[str, str] = field(default_factory=dict)  # bootname -> good|bad
    trying: str | None = None  # installed, to start once by tryboot
    started: bool = False  # the trying slot did start (its trial is under way or over)

    def as_json(self) -> dict[str, Any]:
        return {"states": dict(self.states), "trying": self.trying, "started": self.started}

    @classmethod
    def from_json(cls, data: Any) -> BootState:
        """A state file that is not what this module writes is no state (both slots
        then count by autoboot.txt alone): a damaged file must not block updates."""
        if not isinstance(data, dict):
            return cls()
        states = data.get("states")
        states = {
            k: v
            for k, v in (states.items() if isinstance(states, dict) else ())
            if isinstance(k, str) and v in (GOOD, BAD)
        }
        trying = data.get("trying") if isinstance(data.get("trying"), str) else None
        return cls(states, trying, data.get("started") is True and trying is not None)


@dataclass(frozen=True)
class Slots:
    """Bootname -> boot partition number (from the image's layout, /usr/lib/totem/slots.json)."""

    partitions: dict[str, int]

    def name_of(self, partition: int) -> str:
        for name, number in self.partitions.items():
            if number == partition:
                return name
        raise BackendError(f"boot partition {partition} is no slot of this totem")

    def check(self, name: str) -> str:
        if name not in self.partitions:
            known = ", ".join(sorted(self.partitions))
            raise BackendError(f"unknown slot {name!r} (this totem has {known})")
        return name

    def other(self, name: str) -> str:
        return next(n for n in self.partitions if n != self.check(name))


def get_primary(state: BootState, boot: Autoboot, slots: Slots) -> str:
    """The slot the updater starts next: the one on trial, else the normal one."""
    if state.trying is not None and not state.started:
        return state.trying
    return slots.name_of(boot.default)


def get_state(state: BootState, boot: Autoboot, slots: Slots, name: str) -> str:
    slots.check(name)
    if name in state.states:
        return state.states[name]
    # Never marked: the slot the firmware starts normally is the proven one.
    return GOOD if slots.partitions[name] == boot.default else BAD


def set_state(state: BootState, slots: Slots, name: str, word: str) -> BootState:
    slots.check(name)
    if word not in (GOOD, BAD):
        raise BackendError(f"slot state must be good or bad, not {word!r}")
    states = {**state.states, name: word}
    if word == BAD and state.trying == name:
        return BootState(states)  # a bad slot is not started on trial any more
    return replace(state, states=states)


def set_primary(
    state: BootState, boot: Autoboot, slots: Slots, name: str, booted: str
) -> tuple[BootState, Autoboot]:
    """RAUC's set-primary: (new state, autoboot.txt to have); see the module's docstring."""
    slots.check(name)
    partition = slots.partitions[name]
    if name == booted and partition != boot.default:
        # The slot on trial confirmed itself: it is the normal slot from now on.
        return BootState({**state.states, name: GOOD}), Autoboot(partition, boot.default)
    if partition == boot.default:
        return BootState(state.states), boot  # the normal slot stays; no trial pending
    # Freshly installed into the slot not running: start it once, by tryboot.
    states = {k: v for k, v in state.states.items() if k != name}  # unproven until its trial
    return BootState(states, trying=name), Autoboot(boot.default, partition)


def after_boot(
    state: BootState, boot: Autoboot, slots: Slots, booted: str
) -> tuple[BootState, str | None]:
    """At each start, before the health check: (new state, what happened to a trial).

    - "trial": this start is the slot on trial; the health check decides.
    - "rolled-back": a trial started earlier and never confirmed; the old slot runs.
    - "waiting": installed, the tryboot restart has not happened yet (power cut before it).
    """
    if state.trying is None:
        return state, None
    if booted == state.trying:
        return replace(state, started=True), "trial"
    if slots.partitions.get(booted) == boot.default and state.started:
        return BootState({**state.states, state.trying: BAD}), "rolled-back"
    return state, "waiting"


def install_refusal(boot: Autoboot, slots: Slots, booted: str) -> str | None:
    """Why an install must not start now (None when it may): RAUC writes the slot not
    running, and while a trial runs that is the only proven slot."""
    if slots.partitions.get(booted) != boot.default:
        return (
            f"slot {booted} is running on trial (not yet confirmed): installing now would "
            "overwrite the only slot known to start"
        )
    return None
