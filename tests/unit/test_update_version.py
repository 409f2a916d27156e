"""Release versions: ordered by number, an older or equal release is never newer."""

from __future__ import annotations

import pytest

from appliance import __version__
from appliance.update.version import running
from wire.release import VersionError, newer
from wire.release import parse_version as parse


def test_releases_are_ordered_by_their_numbers_not_as_text():
    assert newer("0.1.0+10", "0.1.0+9")
    assert newer("0.2.0+1", "0.1.9+500")
    assert newer("1.0.0+0", "0.99.99+99999")
    assert not newer("0.1.0+9", "0.1.0+9")  # the same release is not an update
    assert not newer("0.1.0+8", "0.1.0+9")  # an older one is refused (rollback protection)


@pytest.mark.parametrize("text", ["", "0.1.0", "0.1.0+", "v0.1.0+3", "0.1.0+3-rc1", "0.1.0+٣"])
def test_a_version_not_made_by_the_build_is_refused(text):
    with pytest.raises(VersionError):
        parse(text)


def test_the_running_release_is_read_from_the_root(tmp_path):
    stamp = tmp_path / "version"
    stamp.write_text("0.1.0+245\n")
    assert running(stamp) == "0.1.0+245"
    assert running(tmp_path / "missing") == f"{__version__}+0"  # a PC, not an image
    stamp.write_text("garbage")
    assert running(stamp) == f"{__version__}+0"
