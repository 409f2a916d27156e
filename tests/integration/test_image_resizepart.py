"""The first boot grows the data partition in place: the kernel learns its new length, the
partition is never removed (which once made systemd unmount the data partition).

A GPT image file on a loop device stands for the card; partx adds its partitions to the
kernel as the card's would be, then the image's own /usr/lib/totem/resizepart does the resize.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

RESIZEPART = REPO / "image/stages/40-configure/02-overlay/files/usr/lib/totem/resizepart"

pytestmark = pytest.mark.root


def run(*command: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, input=stdin, capture_output=True, text=True, check=False)


@pytest.fixture
def card(tmp_path):
    """A 300 MiB 'card' whose second (last) partition is 50 MiB, known to the kernel."""
    if shutil.which("losetup") is None or shutil.which("sfdisk") is None:
        pytest.skip("losetup and sfdisk (util-linux, fdisk) are needed")
    image = tmp_path / "card.img"
    with open(image, "wb") as file:
        file.truncate(300 * 1024 * 1024)
    made = run("sfdisk", "--quiet", str(image), stdin="label: gpt\nsize=50M\nsize=50M, name=data\n")
    assert made.returncode == 0, made.stderr
    attached = run("losetup", "--find", "--show", str(image))
    if attached.returncode != 0:
        pytest.skip(f"no loop device here: {attached.stderr.strip()}")
    disk = attached.stdout.strip()
    try:
        added = run("partx", "--add", disk)
        if added.returncode != 0:
            pytest.skip(f"the kernel does not take partitions of {disk}: {added.stderr.strip()}")
        yield disk
    finally:
        run("partx", "--delete", disk)
        run("losetup", "--detach", disk)


def kernel_sectors(disk: str, number: int) -> int:
    name = Path(disk).name
    return int(Path(f"/sys/class/block/{name}/{name}p{number}/size").read_text())


def resizepart(*args: str) -> subprocess.CompletedProcess:
    return run(sys.executable, str(RESIZEPART), *args)


def test_the_kernel_learns_the_grown_length_of_the_same_partition(card):
    before = Path(f"/sys/class/block/{Path(card).name}/{Path(card).name}p2/dev").read_text()
    run("sfdisk", "--quiet", "--no-reread", "--no-tell-kernel", "-N", "2", card, stdin=", +\n")
    table = run("partx", "--raw", "--noheadings", "--output", "SECTORS", "--nr", "2", card)
    sectors = int(table.stdout)
    assert sectors > 500_000 and kernel_sectors(card, 2) == 50 * 2048

    done = resizepart(card, "2", str(sectors))

    assert done.returncode == 0, done.stderr
    assert kernel_sectors(card, 2) == sectors
    # the same device (major:minor), resized, not a new one
    after = Path(f"/sys/class/block/{Path(card).name}/{Path(card).name}p2/dev").read_text()
    assert after == before


def test_a_missing_partition_is_named_not_a_traceback(card):
    done = resizepart(card, "7", "2048")
    assert done.returncode == 1
    assert done.stderr.strip() == f"resizepart: {card} has no partition 7"


def test_a_length_past_the_card_is_refused_by_the_kernel_and_said(card):
    done = resizepart(card, "2", str(10 * 1024 * 1024 * 2))
    assert done.returncode == 1
    assert done.stderr.startswith(f"resizepart: {card} partition 2: ")
    assert "Traceback" not in done.stderr
    assert kernel_sectors(card, 2) == 50 * 2048


def test_bad_arguments_give_the_usage():
    done = resizepart("/dev/null", "two", "2048")
    assert done.returncode == 2
    assert done.stderr.startswith("usage: resizepart DISK NUMBER SECTORS")
