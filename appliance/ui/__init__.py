"""The citizen's touch UI: screens, widgets, on-screen keyboard, accessibility tree.

`KioskApp` (app.py) is the whole UI behind one small interface: gestures in, frames and
an accessibility tree out, timers through `tick()`. It never touches a device or the
network; the runtime feeds it and the submit callback stores what citizens send.
"""
