"""Types on the browser's keyboard in a real visit (run under cage by test_site_browser.py).

    python3 site_typing_probe.py URL PROFILE CA PLAN

Starts the visit's browser window as sites/browser.py does, waits for the page to give a
text field the focus (the keyboard shows), then presses PLAN's keys on the keyboard panel
(a JSON list of ["press"|"long", key]) with the browser's own handlers, one every 100 ms,
and lets the page go on for two seconds. The browser's events are printed as it runs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from appliance.sites import browser
from appliance.sites.policy import SitePolicy


def main() -> int:
    url, profile, ca, plan = sys.argv[1], Path(sys.argv[2]), sys.argv[3], json.loads(sys.argv[4])
    profile.mkdir(mode=0o700, exist_ok=True)
    browser.Gtk.init()
    visit = browser.Visit(url, SitePolicy.for_tile(url, [], "probe"), "probe", profile, ca)

    def step() -> bool:
        if not visit.keyboard.widget.get_visible():
            return True  # not yet: look again
        kind, key = plan.pop(0)
        (visit.keyboard.long_press if kind == "long" else visit.keyboard.press)(key)
        if plan:
            return True
        browser.GLib.timeout_add(2000, visit.end, "closed")
        return False

    browser.GLib.timeout_add(100, step)
    return visit.run()


if __name__ == "__main__":
    sys.exit(main())
