"""The agents read dates as in France (Europe/Paris, summer time included) and a group of
similar ideas is titled by its most representative idea, with a capital."""

from __future__ import annotations

from hub.grouping import representative
from hub.pages import _sentence, _when


def test_dates_are_french_and_in_paris_time_summer_and_winter():
    assert _when("2026-12-02T15:46:00Z") == "02/12/2026 à 16:46"
    assert _when("2026-07-14T10:00:00+00:00") == "14/07/2026 à 12:00"
    assert _when(1_800_000_000) == "15/01/2027 à 09:00"
    assert _when(None) == "jamais"
    assert _when("not a date") == "not a date"


def test_a_group_is_titled_by_the_idea_closest_to_the_others_with_a_capital():
    ideas = [
        "pistes cyclables",
        "plus de pistes cyclables dans le centre",
        "des pistes cyclables dans le centre ville",
        "pistes cyclables le long du centre ville",
    ]
    title = ideas[representative(ideas)]
    assert "centre" in title and "pistes cyclables" in title
    assert _sentence("  plus de bancs au parc") == "Plus de bancs au parc"
