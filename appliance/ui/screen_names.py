"""The names of the UI's screens (DESIGN.md, "Screen names") and its default size.

Kept apart from `ui.screens`, which loads pygame, so the command line can offer them
without loading the UI. `ui.screens.BUILDERS` has one builder per name, in this order.
"""

from __future__ import annotations

SCREEN_NAMES = (
    "attract",
    "home",
    "ideas",
    "rating",
    "consultation",
    "sites",
    "visit",  # a site's browser has the screen (sites/visit.py); the kiosk waits behind it
    "answers",  # the ideas the town hall answered publicly
    "thanks",
    "privacy",
    "out-of-service",
    "sorry",  # a submission could not be stored
    "service",  # the technician's menu, while a valid dongle is in
)

# Pixels as the citizen sees them when nothing says otherwise: a portrait panel, as
# `display.size` in the embedded default totem.toml.
DEFAULT_SIZE = (1080, 1920)
