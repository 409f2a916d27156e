"""Which ideas the agents' page shows: filters by category, status and date, a text search,
and the page of groups asked for. Pure logic: the page reads the query string into an
`IdeaQuery` and hands it the rows.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

GROUPS_PER_PAGE = 20


def folded(text: str) -> str:
    """`text` without case or accents: "velo" finds "Vélo"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None  # a date the browser did not send as YYYY-MM-DD is no filter


@dataclass(frozen=True)
class IdeaQuery:
    category: str = ""
    status: str = ""
    search: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> IdeaQuery:
        try:
            page = max(1, int(args.get("page", "1")))
        except ValueError:
            page = 1
        return cls(
            category=args.get("category", "")[:64],
            status=args.get("status", "")[:16],
            search=args.get("q", "").strip()[:200],
            since=_day(args.get("since", "")),
            until=_day(args.get("until", "")),
            page=page,
        )

    @property
    def filtering(self) -> bool:
        return bool(self.category or self.status or self.search or self.since or self.until)

    def matches(self, idea: Mapping[str, Any], status: str, zone: ZoneInfo) -> bool:
        payload = idea["payload"]
        if self.category and payload.get("category") != self.category:
            return False
        if self.status and status != self.status:
            return False
        if self.search and folded(self.search) not in folded(str(payload.get("text", ""))):
            return False
        if self.since or self.until:
            day = _local_day(idea["created_at"], zone)
            if day is None:
                return False
            if (self.since and day < self.since) or (self.until and day > self.until):
                return False
        return True

    def args(self, **changed: Any) -> str:
        """This query as a query string, with `changed` fields (to link to another page)."""
        q = replace(self, **changed)
        values = {
            "category": q.category,
            "status": q.status,
            "q": q.search,
            "since": q.since.isoformat() if q.since else "",
            "until": q.until.isoformat() if q.until else "",
            "page": str(q.page) if q.page > 1 else "",
        }
        return urlencode({k: v for k, v in values.items() if v})


def _local_day(moment: str, zone: ZoneInfo) -> date | None:
    try:
        parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    return (parsed.astimezone(zone) if parsed.tzinfo else parsed).date()


@dataclass(frozen=True)
class Page:
    items: list
    number: int
    count: int  # pages in all (at least 1)


def page_of(items: list, number: int, per_page: int = GROUPS_PER_PAGE) -> Page:
    """Page `number` (from 1; beyond the last gives the last) of `items`."""
    count = max(1, -(-len(items) // per_page))
    number = min(max(1, number), count)
    return Page(items[(number - 1) * per_page : number * per_page], number, count)
