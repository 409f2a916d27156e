"""Fixtures of the integration tests: a real hub on loopback, fresh for each test."""

from __future__ import annotations

import pytest
from hub_support import RunningHub


@pytest.fixture
def hub(tmp_path):
    """A hub on its own SQLite file; a module that needs another hub defines its own."""
    running = RunningHub(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    yield running
    running.stop()
