"""The health check of a trial start decides from what it observed (appliance/update/health.py)."""

from __future__ import annotations

from dataclasses import replace

from appliance.update.health import Observed, hopeless, missing

HEALTHY = Observed(
    ui_active=True,
    ui_restarts=0,
    hwcheck_done=True,
    critical=(),
    data_writable=True,
    hub_expected=True,
    hub_reached=True,
)


def test_a_healthy_release_lacks_nothing():
    assert missing(HEALTHY) == []


def test_each_condition_is_named_when_it_fails():
    assert missing(replace(HEALTHY, ui_active=False, ui_restarts=3)) == [
        "the UI has not drawn its first frame (restarted 3 times)"
    ]
    assert missing(replace(HEALTHY, hwcheck_done=False)) == [
        "the hardware checks have not reported yet"
    ]
    assert missing(replace(HEALTHY, critical=("E-TOUCH-NONE",))) == [
        "critical hardware check failed: E-TOUCH-NONE"
    ]
    assert missing(replace(HEALTHY, data_writable=False)) == [
        "the data partition is not mounted read-write"
    ]
    assert missing(replace(HEALTHY, hub_reached=False)) == ["the hub has not answered a heartbeat"]


def test_a_totem_without_a_hub_of_its_own_is_not_held_to_reaching_one():
    assert missing(replace(HEALTHY, hub_expected=False, hub_reached=False)) == []


def test_every_failure_is_listed_at_once():
    seen = replace(HEALTHY, ui_active=False, data_writable=False, hub_reached=False)
    assert len(missing(seen)) == 3


def test_a_ui_that_keeps_dying_ends_the_wait_early():
    assert not hopeless(HEALTHY)
    assert not hopeless(replace(HEALTHY, ui_active=False, ui_restarts=2))  # still starting
    assert hopeless(replace(HEALTHY, ui_active=False, ui_restarts=5))
