"""The custom backend's decisions through whole updates: a good one, a failed health check,
a power cut at each step. `Totem` plays the firmware (autoboot.txt + the tryboot flag)
around the pure functions, the way backend.py and the Pi do."""

from __future__ import annotations

import pytest

from appliance.update import bootstate
from appliance.update.autoboot import Autoboot
from appliance.update.bootstate import BackendError, BootState, Slots

SLOTS = Slots({"A": 2, "B": 3})


class Totem:
    def __init__(self) -> None:
        self.boot = Autoboot(2, 3)  # as the image ships
        self.state = BootState()
        self.booted = "A"
        self.outcomes: list[str | None] = []

    def start(self, tryboot: bool = False) -> None:
        partition = self.boot.tryboot if tryboot else self.boot.default
        self.booted = SLOTS.name_of(partition)
        self.state, outcome = bootstate.after_boot(self.state, self.boot, SLOTS, self.booted)
        self.outcomes.append(outcome)

    def install(self) -> str:
        """What RAUC does: write the other slot, then set-primary it."""
        assert bootstate.install_refusal(self.boot, SLOTS, self.booted) is None
        target = SLOTS.other(self.booted)
        self.state, self.boot = bootstate.set_primary(
            self.state, self.boot, SLOTS, target, self.booted
        )
        return target

    def mark_good(self) -> None:
        """The health check passed: `rauc status mark-good booted` then mark-active."""
        self.state = bootstate.set_state(self.state, SLOTS, self.booted, "good")
        self.state, self.boot = bootstate.set_primary(
            self.state, self.boot, SLOTS, self.booted, self.booted
        )

    def mark_bad(self) -> None:
        self.state = bootstate.set_state(self.state, SLOTS, self.booted, "bad")

    def primary(self) -> str:
        return bootstate.get_primary(self.state, self.boot, SLOTS)

    def slot_state(self, name: str) -> str:
        return bootstate.get_state(self.state, self.boot, SLOTS, name)


def test_an_update_is_tried_once_then_made_the_normal_slot_and_the_next_goes_back_to_a():
    totem = Totem()
    totem.start()
    assert totem.slot_state("A") == "good" and totem.slot_state("B") == "bad"  # root-b empty
    assert totem.install() == "B"
    assert totem.boot == Autoboot(2, 3)  # the normal choice is untouched by the install
    assert totem.primary() == "B"  # next start: B, by tryboot
    totem.start(tryboot=True)
    assert totem.booted == "B" and totem.outcomes[-1] == "trial"
    totem.mark_good()
    assert totem.boot == Autoboot(3, 2) and totem.state.trying is None
    totem.start()  # a plain restart now starts B
    assert totem.booted == "B" and totem.outcomes[-1] is None
    assert totem.install() == "A"
    totem.start(tryboot=True)
    totem.mark_good()
    totem.start()
    assert totem.booted == "A" and totem.boot == Autoboot(2, 3)


def test_a_failed_health_check_comes_back_on_the_old_slot_which_reports_it():
    totem = Totem()
    totem.start()
    totem.install()
    totem.start(tryboot=True)
    totem.mark_bad()  # the UI never drew its first frame
    assert totem.state.trying is None
    totem.start()  # the health unit restarts normally: the firmware picks A
    assert totem.booted == "A" and totem.slot_state("B") == "bad"
    assert totem.primary() == "A" and totem.boot == Autoboot(2, 3)


@pytest.mark.parametrize("cut", ["after install", "during the trial", "after mark-good"])
def test_a_power_cut_at_any_step_starts_a_working_slot(cut):
    totem = Totem()
    totem.start()
    totem.install()
    if cut == "after install":  # before the tryboot restart: the firmware starts A
        totem.start()
        assert totem.booted == "A" and totem.outcomes[-1] == "waiting"
        assert totem.primary() == "B"  # the updater may still restart into the trial
        return
    totem.start(tryboot=True)
    if cut == "during the trial":  # before any verdict: the flag is gone, A starts
        totem.start()
        assert totem.booted == "A" and totem.outcomes[-1] == "rolled-back"
        assert totem.slot_state("B") == "bad" and totem.primary() == "A"
        return
    totem.mark_good()
    totem.start()
    assert totem.booted == "B" and totem.outcomes[-1] is None


def test_no_install_while_a_trial_runs():
    totem = Totem()
    totem.start()
    totem.install()
    totem.start(tryboot=True)
    refusal = bootstate.install_refusal(totem.boot, SLOTS, totem.booted)
    assert refusal and "only slot known to start" in refusal


def test_bad_requests_and_damaged_state_files():
    with pytest.raises(BackendError, match="unknown slot 'C'"):
        bootstate.get_state(BootState(), Autoboot(2, 3), SLOTS, "C")
    with pytest.raises(BackendError, match="good or bad"):
        bootstate.set_state(BootState(), SLOTS, "A", "fine")
    with pytest.raises(BackendError, match="no slot"):
        SLOTS.name_of(7)
    for damaged in (None, [], {"states": "x"}, {"states": {"A": "great"}, "trying": 3}):
        assert BootState.from_json(damaged) == BootState()
    kept = BootState({"A": "good"}, "B", True)
    assert BootState.from_json(kept.as_json()) == kept
