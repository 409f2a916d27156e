"""Totem: the citizen-participation kiosk that runs on the appliance image."""

__version__ = "0.1.0"
