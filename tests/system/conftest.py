"""Fixtures for the tests of the built image: they skip with one line when there is none.

`make image` writes build/totem-<version>-rpi4-arm64.img (kept beside the .img.xz); the QEMU
boot needs TOTEM_SYSTEM_TESTS=1 (set by `make system-test`) because it takes minutes of CPU.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "build"
import layout  # noqa: E402
import qemu  # noqa: E402


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.parent == Path(__file__).parent:
            item.add_marker(pytest.mark.system)


@pytest.fixture(scope="session")
def built_image() -> Path:
    chosen = os.environ.get("TOTEM_IMAGE")  # another build's image, e.g. build/iter/...
    found = Path(chosen) if chosen else qemu.find_image(BUILD)
    if found is None:
        if os.environ.get("TOTEM_SYSTEM_TESTS") == "1":
            pytest.fail("TOTEM_SYSTEM_TESTS=1 but no image in build/: run `make image` first")
        pytest.skip("no built image in build/ (run `make image`)")
    return found


@pytest.fixture(scope="session")
def image_file(built_image: Path) -> Path:
    """The uncompressed image (decompressed to a scratch copy when only the .xz exists)."""
    for tool in ("sfdisk", "mdir", "debugfs"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} missing (make image installs the host tools)")
    if built_image.suffix != ".xz":
        return built_image
    return qemu.disk_copy(built_image, BUILD / "test" / "image.img", 0)


@pytest.fixture(scope="session")
def placed() -> dict[str, layout.Placed]:
    return {p.partition.name: p for p in layout.place(layout.partitions())}
