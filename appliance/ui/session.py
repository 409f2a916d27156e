"""One citizen's session: everything they chose or typed, wiped as a whole when they leave."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from appliance.ui.keyboard import Keyboard


@dataclass
class Session:
    lang: str
    # Random per citizen, sent with votes so the hub can hold one vote per session and
    # consultation; it names nobody and dies with the wipe. Not compared: a session is
    # untouched (nothing to wipe) when it equals a fresh one, whatever its token.
    token: str = field(default_factory=lambda: uuid.uuid4().hex, compare=False)
    text_size: int = 0  # index into layout.TEXT_SCALES
    high_contrast: bool = False
    low_reach: bool = False

    idea_step: str = "category"  # category → text → review
    idea_category: str | None = None
    idea_keyboard: Keyboard = field(
        default_factory=lambda: Keyboard(max_length=500, auto_capital=True)
    )

    rating_step: str = "service"  # service → stars → comment → review
    rating_service: str | None = None
    rating_stars: int = 0
    rating_keyboard: Keyboard = field(
        default_factory=lambda: Keyboard(max_length=300, auto_capital=True)
    )

    consultation_step: str = "list"  # list → choose → (code) → confirm
    consultation: str | None = None
    consultation_choice: str | None = None
    code_keyboard: Keyboard = field(default_factory=lambda: Keyboard(max_length=32))
    voted: set[str] = field(default_factory=set)  # one vote per session and consultation

    site: str | None = None
    pages: dict[str, int] = field(default_factory=dict)  # long lists shown a page at a time
    thanks_kind: str = "idea"
    receipt: str = ""
