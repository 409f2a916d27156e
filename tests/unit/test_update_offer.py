"""Taking an offered release or not, and a download that resumes, on plain values and files."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from appliance.update import download
from appliance.update.offer import OUTBOX_RESERVE_BYTES, UpdateRefused, accepted
from wire.protocol import b64, canonical_json
from wire.release import COMPATIBLE

KEY = Ed25519PrivateKey.generate()
MIB = 1024 * 1024


def signed(manifest, key=KEY) -> dict:
    return {"manifest": manifest, "signature": b64(key.sign(canonical_json(manifest)))}


def manifest(**changes) -> dict:
    base = {"version": "0.1.0+9", "size": 100 * MIB, "sha256": "a" * 64, "compatible": COMPATIBLE}
    return {**base, **changes}


def take(offer, running="0.1.0+8", free=10**12, have=0):
    return accepted(offer, KEY.public_key(), running, free, have)


def test_a_signed_newer_release_that_fits_is_taken():
    assert take(signed(manifest()))["version"] == "0.1.0+9"


@pytest.mark.parametrize(
    ("offer", "words"),
    [
        (None, "no signature"),
        ({"manifest": manifest()}, "no signature"),
        (signed(manifest(), Ed25519PrivateKey.generate()), "not signed by the town hall"),
        ({**signed(manifest()), "manifest": manifest(size=1)}, "not signed"),
        (signed(manifest(version="0.1.0")), "release version"),
        (signed(manifest(size=-1)), "not a bundle's size"),
        (signed(manifest(size=True)), "not a bundle's size"),
        (signed(manifest(sha256="A" * 64)), "sha256"),
        (signed(manifest(compatible="other-board")), "not 'totem-rpi4-arm64'"),
        (signed({**manifest(), "url": "http://elsewhere/"}), "fields"),
        (signed(manifest(version="0.1.0+8")), r"not newer than 0\.1\.0\+8"),
        (signed(manifest(version="0.1.0+7")), "not newer"),
    ],
)
def test_an_offer_is_refused_with_its_reason(offer, words):
    with pytest.raises(UpdateRefused, match=words):
        take(offer)


def test_room_is_kept_for_the_outbox_and_a_partial_download_counts():
    offer = signed(manifest())
    with pytest.raises(UpdateRefused, match="room kept for the outbox"):
        take(offer, free=100 * MIB + OUTBOX_RESERVE_BYTES - 1)
    take(offer, free=100 * MIB + OUTBOX_RESERVE_BYTES)
    take(offer, free=60 * MIB + OUTBOX_RESERVE_BYTES, have=40 * MIB)  # 40 MiB already here


class Hub:
    """Serves `data` the way the hub's bundle route does (200 whole, 206 from an offset)."""

    def __init__(self, data: bytes, cut_at: int | None = None, extra: bytes = b""):
        self.data, self.cut_at, self.extra = data, cut_at, extra
        self.asked: list[int] = []

    def fetch_bundle(self, version, offset):
        self.asked.append(offset)
        body = self.data[offset:] + self.extra

        def chunks():
            for start in range(0, len(body), 4096):
                if self.cut_at is not None and offset + start >= self.cut_at:
                    self.cut_at = None
                    raise ConnectionError("cut")
                yield body[start : start + 4096]

        return (206 if offset else 200), chunks()


def release_of(data: bytes) -> dict:
    return manifest(size=len(data), sha256=hashlib.sha256(data).hexdigest())


def test_a_cut_download_keeps_what_arrived_and_the_next_asks_for_the_rest(tmp_path):
    data = bytes(range(256)) * 1000
    hub = Hub(data, cut_at=25 * 4096)
    with pytest.raises(ConnectionError):
        download.download(hub, release_of(data), tmp_path)
    assert download.have(tmp_path, "0.1.0+9") == 25 * 4096
    final = download.download(hub, release_of(data), tmp_path)
    assert hub.asked == [0, 25 * 4096] and final.read_bytes() == data
    assert not download.part_file(tmp_path, "0.1.0+9").exists()


def test_too_many_bytes_or_the_wrong_ones_are_thrown_away(tmp_path):
    data = b"totem" * 10_000
    with pytest.raises(download.DownloadFailed, match="more than"):
        download.download(Hub(data, extra=b"!"), release_of(data), tmp_path)
    assert not list(tmp_path.iterdir())
    with pytest.raises(download.DownloadFailed, match="SHA-256"):
        download.download(Hub(data.replace(b"t", b"T")), release_of(data), tmp_path)
    assert not list(tmp_path.iterdir())


def test_an_older_releases_leftovers_are_removed(tmp_path):
    (tmp_path / "0.1.0+3.raucb").write_bytes(b"old")
    (tmp_path / "0.1.0+4.raucb.part").write_bytes(b"old")
    data = b"new" * 100
    download.download(Hub(data), release_of(data), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.1.0+9.raucb"]
