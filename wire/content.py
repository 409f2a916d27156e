"""The town hall's content as both sides see it: its shape, checked on the hub before it is
signed and on the kiosk before it is shown, and the demo content that serves until a hub
publishes its own (the kiosk's embedded default, the hub's first version).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEMO_CONTENT = Path(__file__).with_name("demo_content.json")


# What the town hall says of an idea, from its receipt to its outcome. The hub's pages and
# the kiosk each have their words for them (hub/ideastatus.py, appliance/ui/i18n.py).
IDEA_STATUSES = ("recue", "etude", "retenue", "realisee", "non-retenue")
ANSWER_MAX_CHARS = 600  # an answer is read standing at a totem: a few sentences


class ContentError(ValueError):
    """Content that does not have the expected shape."""


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
    _check_answers(content.get("answers", []))
    _check_service(content.get("service", {"keys": [], "revoked": []}))


def _check_service(service: Any) -> None:
    """The town hall's service keys for technicians' dongles and the serials it revoked."""
    if not isinstance(service, dict) or set(service) != {"keys", "revoked"}:
        raise ContentError("content.service must be {keys, revoked}")
    for field in ("keys", "revoked"):
        items = service[field]
        if not isinstance(items, list) or not all(
            isinstance(i, str) and 0 < len(i) <= 64 for i in items
        ):
            raise ContentError(f"content.service.{field} must be a list of short strings")


def _check_answers(answers: Any) -> None:
    """The ideas the town hall answered publicly: `{text, status, answer, date}` each."""
    if not isinstance(answers, list):
        raise ContentError("content.answers must be a list")
    for index, item in enumerate(answers):
        where = f"content.answers[{index}]"
        if not isinstance(item, dict):
            raise ContentError(f"{where} must be an object")
        for field in ("text", "answer"):
            value = item.get(field)
            if not isinstance(value, str) or not value.strip() or len(value) > ANSWER_MAX_CHARS:
                raise ContentError(
                    f"{where}.{field} must be a text of 1 to {ANSWER_MAX_CHARS} characters"
                )
        if item.get("status") not in IDEA_STATUSES:
            raise ContentError(f"{where}.status must be one of {', '.join(IDEA_STATUSES)}")
        if not isinstance(item.get("date", ""), str):
            raise ContentError(f"{where}.date must be a date as YYYY-MM-DD")


def _check_texts(texts: Any, where: str) -> None:
    if (
        not isinstance(texts, dict)
        or not texts
        or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in texts.items())
    ):
        raise ContentError(f"{where} must map languages to non-empty texts")
