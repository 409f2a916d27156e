"""The sync process's pure decisions: retry delays, which hubs it trusts, what it shows."""

from __future__ import annotations

import json
import os
import random
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from appliance.content import load_content
from appliance.sync.backoff import CAP_SECONDS, Backoff
from appliance.sync.client import check_hub_url
from appliance.sync.content import ContentRefused, cached_etag, store_content, verified_content
from appliance.sync.devicekey import ensure_device_key
from appliance.sync.enrolment import Enrolment, load_enrolment, save_enrolment
from wire.content import DEMO_CONTENT
from wire.protocol import b64, canonical_json, public_key_b64


def test_retry_delays_grow_exponentially_with_jitter_up_to_fifteen_minutes():
    backoff = Backoff(base=2.0, rng=random.Random(7))
    delays = [backoff.next_delay() for _ in range(20)]
    for attempt, delay in enumerate(delays[:8]):
        ceiling = 2.0 * 2**attempt
        assert ceiling / 2 <= delay <= ceiling
    assert max(delays) <= CAP_SECONDS == 900
    assert delays[-1] >= CAP_SECONDS / 2


def test_two_kiosks_retrying_together_do_not_pick_the_same_delays():
    first, second = Backoff(rng=random.Random(1)), Backoff(rng=random.Random(2))
    assert [first.next_delay() for _ in range(5)] != [second.next_delay() for _ in range(5)]


def test_a_success_starts_the_delays_from_the_beginning_again():
    backoff = Backoff(base=1.0)
    for _ in range(10):
        backoff.next_delay()
    backoff.reset()
    assert backoff.next_delay() <= 1.0


@pytest.mark.parametrize(
    "url",
    [
        "https://participation.example.fr",
        "http://127.0.0.1:8750",
        "http://[::1]:8750",
        "http://localhost:8750",
    ],
)
def test_https_hubs_and_loopback_http_hubs_are_accepted(url):
    check_hub_url(url)


@pytest.mark.parametrize(
    "url", ["http://participation.example.fr", "http://192.168.1.10:8750", "ftp://hub", "hub"]
)
def test_plain_http_to_another_machine_is_refused(url):
    with pytest.raises(ValueError, match="https://"):
        check_hub_url(url)


def test_the_device_key_is_made_once_private_to_its_owner_and_reused(tmp_path):
    key = ensure_device_key(tmp_path)
    path = tmp_path / "device-key.pem"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert public_key_b64(ensure_device_key(tmp_path)) == public_key_b64(key)
    assert [p.name for p in tmp_path.iterdir()] == ["device-key.pem"]


def test_enrolment_is_read_back_and_a_damaged_file_means_not_enrolled(tmp_path):
    enrolment = Enrolment("https://hub.example.fr", "hall-01", "a2V5", "2026-01-01T00:00:00+00:00")
    save_enrolment(tmp_path, enrolment)
    assert load_enrolment(tmp_path) == enrolment
    (tmp_path / "enrolment.json").write_text("{not json")
    assert load_enrolment(tmp_path) is None


def signed(content, key: Ed25519PrivateKey) -> dict:
    return {"content": content, "signature": b64(key.sign(canonical_json(content)))}


@pytest.fixture
def town_hall_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def new_content() -> dict:
    content = json.loads(DEMO_CONTENT.read_text(encoding="utf-8"))
    content["version"] = "2026-12-01"
    return content


def test_content_signed_by_the_town_hall_is_accepted(town_hall_key, new_content):
    body = signed(new_content, town_hall_key)
    content, signature = verified_content(body, public_key_b64(town_hall_key))
    assert content["version"] == "2026-12-01"
    assert signature == body["signature"]


def test_content_signed_by_another_key_or_altered_after_signing_is_refused(
    town_hall_key, new_content
):
    pinned = public_key_b64(town_hall_key)
    with pytest.raises(ContentRefused, match="signature"):
        verified_content(signed(new_content, Ed25519PrivateKey.generate()), pinned)
    altered = signed(new_content, town_hall_key)
    altered["content"] = dict(new_content, version="forged")
    with pytest.raises(ContentRefused, match="signature"):
        verified_content(altered, pinned)


def test_well_signed_content_of_the_wrong_shape_is_refused(town_hall_key):
    with pytest.raises(ContentRefused, match="malformed"):
        verified_content(signed({"version": "x"}, town_hall_key), public_key_b64(town_hall_key))


def test_without_a_pinned_key_no_content_is_accepted(town_hall_key, new_content):
    with pytest.raises(ContentRefused, match="no content key"):
        verified_content(signed(new_content, town_hall_key), "")


def test_stored_content_is_what_the_ui_loads_and_carries_its_etag(
    tmp_path, town_hall_key, new_content
):
    content, signature = verified_content(
        signed(new_content, town_hall_key), public_key_b64(town_hall_key)
    )
    store_content(tmp_path, content, signature, '"v2"')
    assert load_content(tmp_path)["version"] == "2026-12-01"
    assert cached_etag(tmp_path) == '"v2"'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content.json"]
