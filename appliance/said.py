"""Sentences the totem says in both of its working languages, and the problems it shows.

One bilingual type for every message a person reads off the totem or its tools: mistakes
in `totem.toml`, hardware-check results, warnings and out-of-service reasons. French comes
first on the totem; English serves technicians' tools and other languages' fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Said(NamedTuple):
    """One sentence in English and in French."""

    en: str
    fr: str

    def text(self, lang: str) -> str:
        """The sentence for a reader of `lang` (French for French, English for the rest)."""
        return self.fr if lang == "fr" else self.en

    def as_json(self) -> dict[str, str]:
        return {"fr": self.fr, "en": self.en}

    @classmethod
    def from_json(cls, data: object) -> Said:
        """From `{"fr": …, "en": …}` (either may be missing: the other stands in)."""
        texts = data if isinstance(data, dict) else {}
        fr, en = str(texts.get("fr") or ""), str(texts.get("en") or "")
        return cls(en or fr, fr or en)


@dataclass(frozen=True)
class Problem:
    """Why the kiosk cannot serve citizens now: a short code a technician reads off the
    out-of-service screen and looks up (appliance/hwcheck/README.md), and what is wrong."""

    code: str
    message: Said
