"""Shared test fixtures.

Tests that need root (network namespaces, nft) or the built image skip elsewhere with a
one-line reason; under CI (`CI=true`, as root) they run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Real panels' evemu recordings (MIT, see LICENSE there), kept in the repository so a fresh
# clone runs every test.
TOUCH_FIXTURES = REPO / "tests" / "fixtures" / "touch"

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.geteuid() != 0:
        skip_root = pytest.mark.skip(reason="needs root (network namespaces, nftables)")
        for item in items:
            if "root" in item.keywords:
                item.add_marker(skip_root)


@pytest.fixture
def touch_fixtures() -> Path:
    return TOUCH_FIXTURES
