"""autoboot.txt read as the Pi 4 firmware reads it, and rewritten by swapping its two slots."""

from __future__ import annotations

import layout  # image/layout.py, on the path for the image tests
import pytest

from appliance.update.autoboot import Autoboot, AutobootError, boot_partition, parse, render


def test_the_image_ships_boot_a_normally_and_boot_b_on_tryboot():
    text = layout.autoboot(layout.partitions())
    assert boot_partition(text, tryboot=False) == 2
    assert boot_partition(text, tryboot=True) == 3
    assert parse(text) == Autoboot(2, 3)


def test_a_swap_changes_the_two_numbers_and_not_the_length():
    before = render(Autoboot(2, 3))
    after = render(Autoboot(2, 3).swapped())
    assert len(after) == len(before)  # one sector rewritten in place on the FAT partition
    assert (boot_partition(after, False), boot_partition(after, True)) == (3, 2)


def test_the_firmware_ignores_tryboot_without_tryboot_a_b_and_other_boards_sections():
    text = "[all]\nboot_partition=2\n[tryboot]\nboot_partition=3\n"
    assert boot_partition(text, tryboot=True) == 2  # no tryboot_a_b=1: the section is unused
    text = "[pi5]\nboot_partition=9\n[all]\ntryboot_a_b=1 # A/B\nboot_partition=2\n"
    text += "[tryboot]\nboot_partition=3\n"
    assert boot_partition(text, False) == 2 and boot_partition(text, True) == 3


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "names no boot_partition"),
        ("[all]\nboot_partition=two\n", "not a partition number"),
        ("[all]\nboot_partition=²\n", "not a partition number"),
        ("[all]\nboot_partition\n", "line 2"),
        ("[all]\ntryboot_a_b=1\nboot_partition=2\n[tryboot]\nboot_partition=2\n", "same"),
    ],
)
def test_a_file_the_firmware_cannot_use_is_refused_with_a_reason(text, words):
    with pytest.raises(AutobootError, match=words):
        parse(text)
