"""RAUC's errors in words that name the cause first (appliance/update/rauc.py)."""

from __future__ import annotations

import pytest

from appliance.update.rauc import explain


@pytest.mark.parametrize(
    ("last_error", "starts"),
    [
        (
            "Failed to verify bundle: signature verification failed: Verify error:unable to get "
            "local issuer certificate",
            "bundle signature refused",
        ),
        (
            "Compatible mismatch: Expected 'totem-rpi4-arm64' but bundle manifest has 'other'",
            "bundle made for another kind of totem",
        ),
        (
            "Handler error: totem-boot-backend: release 0.1.0+3 is not newer than the running "
            "0.1.0+9: refused",
            "refused by the totem before writing",
        ),
        ("Failed writing image: No space left on device", "the slot cannot hold this bundle"),
        ("something else went wrong", "install failed"),
        ("", "install failed: RAUC gave no reason"),
    ],
)
def test_the_cause_comes_first(last_error, starts):
    said = explain(last_error)
    assert said.startswith(starts)
    assert last_error[:60] in said


def test_a_long_error_is_one_bounded_line():
    said = explain("line one\nline two\n" + "x" * 2000)
    assert "\n" not in said and len(said) < 500
