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

DEMO_CONTENT = Path(__file__).with_name("demo.json")
CACHE_FILENAME = "content.json"  # {"content": {...}, "signature": b64, "etag": str}


class ContentError(ValueError):
    """Content that does not have the expected shape."""


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


def validate_content(content: Any) -> None:
    """Raise ContentError naming the first thing wrong with `content`."""
    if not isinstance(content, dict):
        raise ContentError("content must be a JSON object")
    if not isinstance(content.get("version"), str) or not content["version"]:
        raise ContentError("content.version must be a non-empty string")
    for section in ("idea_categories", "services", "consultations", "sites"):
        items = content.get(section)
        if not isinstance(items, list):
            raise ContentError(f"content.{section} must be a list")
        ids = set()
        for index, item in enumerate(items):
            where = f"content.{section}[{index}]"
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise ContentError(f"{where} must be an object with a string id")
            if item["id"] in ids:
                raise ContentError(f"{where}: duplicate id {item['id']!r}")
            ids.add(item["id"])
            fields = ("question",) if section == "consultations" else ("label",)
            for field in fields:
                _check_texts(item.get(field), f"{where}.{field}")
            if section == "consultations":
                choices = item.get("choices")
                if not isinstance(choices, list) or len(choices) < 2:
                    raise ContentError(f"{where}.choices must list at least two choices")
                for n, choice in enumerate(choices):
                    if not isinstance(choice, dict) or not isinstance(choice.get("id"), str):
                        raise ContentError(f"{where}.choices[{n}] must have a string id")
                    _check_texts(choice.get("label"), f"{where}.choices[{n}].label")
            if section == "sites":
                url = item.get("url")
                if not isinstance(url, str) or urlsplit(url).scheme not in ("https", "http"):
                    raise ContentError(f"{where}.url must be an http(s) URL")


def _check_texts(texts: Any, where: str) -> None:
    if (
        not isinstance(texts, dict)
        or not texts
        or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in texts.items())
    ):
        raise ContentError(f"{where} must map languages to non-empty texts")
