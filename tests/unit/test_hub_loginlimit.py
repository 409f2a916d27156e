"""Wrong passwords: five in fifteen minutes, then the login waits; a success clears the name."""

from __future__ import annotations

from hub.loginlimit import LoginThrottle


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_five_failures_hold_the_name_and_the_address_back_for_the_rest_of_the_window():
    clock = Clock()
    throttle = LoginThrottle(max_failures=5, window=900, clock=clock)
    for second in range(5):
        clock.now = second
        assert throttle.wait_seconds("marie", "192.0.2.7") == 0
        throttle.failed("marie", "192.0.2.7")
    assert throttle.wait_seconds("marie", "198.51.100.1") == 896  # the name, from elsewhere
    assert throttle.wait_seconds("paul", "192.0.2.7") == 896  # the address, another name
    clock.now = 900
    assert throttle.wait_seconds("marie", "192.0.2.7") == 0  # the first failure expired


def test_a_success_forgets_the_names_failures():
    throttle = LoginThrottle(max_failures=2, window=900, clock=Clock())
    throttle.failed("marie", "192.0.2.7")
    throttle.succeeded("marie", "192.0.2.7")
    throttle.failed("marie", "198.51.100.1")
    assert throttle.wait_seconds("marie", "198.51.100.1") == 0
