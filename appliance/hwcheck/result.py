"""What one hardware check says: a name, a status, a short code and a sentence in fr and en.

Results are plain frozen data so the report file, the heartbeat and the UI all read the
same thing; `as_json()`/`from_json()` are the one place the shape is written down.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from appliance.said import Said

OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"
STATUSES = (OK, WARN, FAIL, SKIP)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    `critical` marks a failure the kiosk cannot serve citizens through (no touch panel,
    data partition full or read-only): the UI then shows the out-of-service screen with
    `code`. `code` is None when there is nothing for a technician to look at.
    """

    name: str
    status: str
    said: Said
    code: str | None = None
    critical: bool = False
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown check status {self.status!r}")

    @property
    def message_fr(self) -> str:
        return self.said.fr

    @property
    def message_en(self) -> str:
        return self.said.en

    def message(self, lang: str) -> str:
        return self.said.text(lang)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "critical": self.critical,
            "code": self.code,
            "message": self.said.as_json(),
            "details": self.details,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CheckResult:
        return cls(
            name=str(data["name"]),
            status=str(data["status"]),
            said=Said.from_json(data.get("message")),
            code=data.get("code"),
            critical=bool(data.get("critical", False)),
            details=dict(data.get("details") or {}),
        )


def ok(name: str, fr: str, en: str, /, **details: Any) -> CheckResult:
    return CheckResult(name, OK, Said(en, fr), details=details)


def warn(name: str, code: str, fr: str, en: str, /, **details: Any) -> CheckResult:
    return CheckResult(name, WARN, Said(en, fr), code=code, details=details)


def fail(
    name: str, code: str, fr: str, en: str, /, *, critical: bool = False, **details: Any
) -> CheckResult:
    """A failure; `critical` only for what stops citizens being served (see README.md)."""
    return CheckResult(name, FAIL, Said(en, fr), code=code, critical=critical, details=details)


def skip(name: str, fr: str, en: str, /, **details: Any) -> CheckResult:
    """The check could not run here (no such hardware, no D-Bus): says why, never raises."""
    return CheckResult(name, SKIP, Said(en, fr), details=details)
