"""The kiosk process: `totem run` ties the touch source, the UI and the outbox together.

The reader thread of the touch source puts gestures into the kiosk's own queue; the main
loop sleeps until a gesture, a signal or the next deadline (UI timer, systemd watchdog,
content and hardware-report polls) and redraws only when the UI says something changed.
"""
