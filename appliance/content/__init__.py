"""What the kiosk offers citizens: idea categories, services to rate, consultations, sites.

The town hall publishes it through its hub, signed with its key; the sync process verifies
it and stores it as `content.json` in the data directory. Until then the built-in demo
content serves. Labels are `{language: text}`; `label(item, lang)` picks one with a
French fallback, since French is the town hall's working language.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from wire.content import DEMO_CONTENT, validate_content

CACHE_FILENAME = "content.json"  # {"content": {...}, "signature": b64, "etag": str}


def load_content(data_dir: str | Path | None = None) -> dict[str, Any]:
    """The verified content cached in `data_dir`, or the demo content if none is usable."""
    if data_dir is not None:
        cached = Path(data_dir) / CACHE_FILENAME
        try:
            content = json.loads(cached.read_text(encoding="utf-8"))["content"]
            validate_content(content)
            return content
        except (OSError, ValueError, KeyError, TypeError):
            pass  # missing or damaged cache: the demo content keeps the kiosk useful
    return json.loads(DEMO_CONTENT.read_text(encoding="utf-8"))


def label(item: dict[str, Any], lang: str, field: str = "label") -> str:
    texts = item[field]
    return texts.get(lang) or texts.get("fr") or next(iter(texts.values()))


def site_hosts(content: dict[str, Any]) -> list[str]:
    """Host names of the site tiles, for the network allow-list."""
    return [urlsplit(site["url"]).hostname for site in content.get("sites", [])]
