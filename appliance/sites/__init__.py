"""The town hall's useful sites, opened from a tile in a locked browser (issue 16).

- `policy`: what one visit may reach, as a navigation check and WebKit content-blocker
  rules (pure);
- `pages`: the pages shown in place of a refused or silent site (pure);
- `typing`: what each key of the kiosk's keyboard tells the page (pure);
- `keys`: that keyboard drawn in GTK under the page while a text field has the focus;
- `browser`: the visit's browser, WebKitGTK under cage, run by Debian's python3;
- `visit`: the kiosk's side: start it, hear it, end it, delete its profile.

The kiosk's loop hands the screen over and takes it back in `runtime/visits.py`.
"""
