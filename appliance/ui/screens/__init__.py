"""One module per screen; each builds its widgets from the app's state with a Builder."""

from __future__ import annotations

from appliance.ui.screens import (
    answers,
    consultation,
    home,
    ideas,
    notices,
    rating,
    service,
    sites,
)

# One builder per name of `ui.screen_names.SCREEN_NAMES`, in the same order.
BUILDERS = {
    "attract": home.build_attract,
    "home": home.build_home,
    "ideas": ideas.build,
    "rating": rating.build,
    "consultation": consultation.build,
    "sites": sites.build,
    "visit": sites.build_visit,
    "answers": answers.build,
    "thanks": notices.build_thanks,
    "privacy": notices.build_privacy,
    "out-of-service": notices.build_out_of_service,
    "sorry": notices.build_sorry,
    "service": service.build,
}
