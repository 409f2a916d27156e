"""The kernel input codes the touch pipeline reads (linux/input-event-codes.h).

Kept here rather than taken from `evdev.ecodes` so the pure modules (decoder, device
choice, evemu parsing) import nothing compiled and run anywhere the tests run.
"""

from __future__ import annotations

EV_SYN = 0x00
EV_KEY = 0x01
EV_REL = 0x02
EV_ABS = 0x03

SYN_REPORT = 0
SYN_MT_REPORT = 2
SYN_DROPPED = 3

BTN_LEFT = 0x110
BTN_TOOL_FINGER = 0x145
BTN_TOUCH = 0x14A

ABS_X = 0x00
ABS_Y = 0x01
ABS_MT_SLOT = 0x2F
ABS_MT_POSITION_X = 0x35
ABS_MT_POSITION_Y = 0x36
ABS_MT_TRACKING_ID = 0x39

INPUT_PROP_POINTER = 0x00
INPUT_PROP_DIRECT = 0x01
