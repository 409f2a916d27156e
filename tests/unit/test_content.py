"""Content: the demo serves until verified content from the hub is cached."""

from __future__ import annotations

import copy
import json

import pytest

from appliance.content import label, load_content, site_hosts
from wire.content import ContentError, validate_content


def test_the_demo_content_has_what_the_kiosk_offers():
    content = load_content(None)
    validate_content(content)
    assert len(content["idea_categories"]) == 3
    assert len(content["services"]) == 6
    assert len(content["consultations"]) == 2
    assert len(content["sites"]) == 3


def test_labels_fall_back_to_french():
    item = {"label": {"fr": "Propreté"}}
    assert label(item, "en") == "Propreté"
    assert label({"label": {"fr": "Oui", "en": "Yes"}}, "en") == "Yes"


def test_site_hosts_come_from_the_tiles():
    assert "www.service-public.fr" in site_hosts(load_content(None))


def test_cached_content_wins_over_the_demo(tmp_path):
    content = copy.deepcopy(load_content(None))
    content["version"] = "hub-7"
    (tmp_path / "content.json").write_text(json.dumps({"content": content, "signature": "x"}))
    assert load_content(tmp_path)["version"] == "hub-7"


def test_a_damaged_cache_falls_back_to_the_demo(tmp_path):
    (tmp_path / "content.json").write_text("{not json")
    assert load_content(tmp_path)["version"].startswith("demo")


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda c: c.pop("version"), "version"),
        (lambda c: c["services"].append(c["services"][0]), "duplicate"),
        (
            lambda c: (
                c["consultations"][0]["choices"].pop() and c["consultations"][0]["choices"].pop()
            ),
            "two choices",
        ),
        (lambda c: c["sites"][0].update(url="javascript:alert(1)"), "URL"),
        (lambda c: c["idea_categories"][0].update(label={"fr": ""}), "label"),
    ],
)
def test_malformed_content_is_named(mutate, words):
    content = copy.deepcopy(load_content(None))
    mutate(content)
    with pytest.raises(ContentError, match=words):
        validate_content(content)
