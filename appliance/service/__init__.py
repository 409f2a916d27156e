"""The technician's service mode: the signed USB dongle that opens it (the token's format
and checks are the wire's, wire/servicetoken.py) and the clock it is checked against.

- `clock.py`: a time that never goes back (a Pi has no RTC: a totem whose clock fell back
  to 1970, or was set back, must not revive an expired dongle).
- `stick.py`: the token read off a stick as hostile input (no links, small, plain file).
- `usbpolicy.py`: which USB devices the kernel may use — hubs, mass storage, the pinned
  touch panel — decided from their descriptions (pure), and read from sysfs.
"""
