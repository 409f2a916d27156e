"""The town hall's useful sites, opened from a tile in a locked browser (issue 16).

- `policy`: what one visit may reach, as a navigation check and WebKit content-blocker
  rules (pure);
- `pages`: the pages shown in place of a refused or silent site (pure);
- `browser`: the visit's browser, WebKitGTK under cage, run by Debian's python3;
- `visit`: the kiosk's side: start it, hear it, end it, delete its profile.
"""
