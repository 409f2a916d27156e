"""The technician's service mode: the signed USB dongle that opens it (the token's format
and checks are the wire's, wire/servicetoken.py), the menu it opens and what is kept of it.

On the stick's side (root's udev-started unit, `totem dongle read`):
- `stick.py`: the token read off a stick as hostile input (mtools, no mount; or a folder).
- `clock.py`: a time that never goes back (a Pi has no RTC: a totem whose clock fell back
  to 1970, or was set back, must not revive an expired dongle).
- `dongle.py`: what the token is checked against (`trust`), the verdict (`examine`) and
  its hand-over to the kiosk (`publish`; `present` says the stick is still in).
- `visit.py`: that verdict's shape, `/run/totem/service/dongle.json` (pure).

On the kiosk's side:
- `menu.py`: the menu's state, its pages and timeouts (pure); the screen is
  `appliance/ui/screens/service.py`.
- `facts.py`: what the pages show, gathered when one opens.
- `audit.py`: the append-only log of what technicians did, sent with the heartbeat.

And `usbpolicy.py`: which USB devices the kernel may use — hubs, mass storage, the pinned
touch panel — decided from their descriptions (pure), and read from sysfs.
"""
