"""The agents' idea filters read from the query string, and paging."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from hub.ideaquery import IdeaQuery, folded, page_of

PARIS = ZoneInfo("Europe/Paris")


def idea(text="Des bancs", category="cadre-de-vie", created="2026-06-01T10:00:00+00:00"):
    return {"payload": {"text": text, "category": category}, "created_at": created}


def test_a_query_string_becomes_filters_and_nonsense_is_no_filter():
    q = IdeaQuery.from_args({"q": " vélo ", "since": "2026-05-01", "until": "pas une date"})
    assert q.search == "vélo" and q.since == date(2026, 5, 1) and q.until is None
    assert IdeaQuery.from_args({"page": "-3"}).page == 1
    assert IdeaQuery.from_args({"page": "deux"}).page == 1
    assert not IdeaQuery.from_args({}).filtering and q.filtering


def test_filters_by_category_status_text_and_local_day():
    assert IdeaQuery(search="BANCS").matches(idea(), "recue", PARIS)
    assert not IdeaQuery(category="mobilite").matches(idea(), "recue", PARIS)
    assert not IdeaQuery(status="retenue").matches(idea(), "recue", PARIS)
    # 23:30 UTC on 31 May is already 1 June in Paris.
    late = idea(created="2026-05-31T23:30:00+00:00")
    assert IdeaQuery(since=date(2026, 6, 1)).matches(late, "recue", PARIS)
    assert not IdeaQuery(until=date(2026, 5, 31)).matches(late, "recue", PARIS)
    assert not IdeaQuery(since=date(2026, 1, 1)).matches(idea(created="hier"), "recue", PARIS)


def test_search_ignores_case_and_accents():
    assert folded("Vélo-Partage À LA GARE") == "velo-partage a la gare"


def test_links_keep_the_filters_and_change_the_page():
    q = IdeaQuery(status="retenue", search="parc", page=2)
    assert q.args() == "status=retenue&q=parc&page=2"
    assert q.args(page=1) == "status=retenue&q=parc"


def test_pages_of_groups():
    assert page_of([], 1).count == 1
    page = page_of(list(range(45)), 3, 20)
    assert page.items == list(range(40, 45)) and page.count == 3 and page.number == 3
    assert page_of(list(range(45)), 7, 20).number == 3
