"""Reading and validating `totem.toml`, the installer's only file.

`load_config(path)` returns a frozen `Config` or raises `ConfigError`, whose message is
one sentence naming the key and, where known, the line: `totem config check` prints it in
English (or French with `--lang fr`), the kiosk's out-of-service screen in both (`located`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from appliance.config.schema import SCHEMA, Key, Said

DEFAULT_CONFIG = Path(__file__).with_name("default.toml")


class ConfigError(Exception):
    """A mistake in `totem.toml`, with the key and line it concerns, said in English and French."""

    def __init__(self, said: Said, key: str | None = None, line: int | None = None):
        self.said, self.key, self.line = said, key, line
        super().__init__(self.located("en"))

    def located(self, lang: str) -> str:
        """The message after the key and line, as the installer reads it in `lang`."""
        message = self.said.fr if lang == "fr" else self.said.en
        line_word, colon = ("ligne", " : ") if lang == "fr" else ("line", ": ")
        where = self.key or ""
        if self.line:
            where = f"{where} ({line_word} {self.line})" if where else f"{line_word} {self.line}"
        return f"{where}{colon}{message}" if where else message


@dataclass(frozen=True)
class Config:
    """Validated settings; sections are read-only mappings (`config.display["rotation"]`)."""

    site: MappingProxyType
    display: MappingProxyType
    touch: MappingProxyType
    hub: MappingProxyType
    update: MappingProxyType
    network: MappingProxyType
    session: MappingProxyType
    path: Path | None = None

    @property
    def screen_size(self) -> tuple[int, int]:
        """Width and height in pixels as the citizen sees the screen."""
        width, height = self.display["size"].split("x")
        return int(width), int(height)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.site["languages"])

    @property
    def hub_host(self) -> str:
        return urlsplit(self.hub["url"]).hostname or ""


def load_config(path: str | Path | None = None) -> Config:
    """Read `path` (the embedded demo default when None) and validate it."""
    path = Path(path) if path is not None else DEFAULT_CONFIG
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(Said("file not found", "fichier introuvable")) from None
    except OSError as error:
        raise ConfigError(
            Said(f"cannot be read: {error.strerror}", f"illisible : {error.strerror}")
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(
            Said(
                "is not UTF-8 text (save it as UTF-8)",
                "n'est pas du texte UTF-8 (enregistrez-le en UTF-8)",
            )
        ) from None
    return parse_config(text, path)


def parse_config(text: str, path: Path | None = None) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match[1]) if match else None
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        # tomllib says what is wrong only in English; the French keeps its words.
        raise ConfigError(
            Said(f"not valid TOML: {reason}", f"syntaxe TOML invalide ({reason})"), line=line
        ) from None

    sections: dict[str, MappingProxyType] = {}
    for section, value in data.items():
        if section not in SCHEMA:
            known = ", ".join(SCHEMA)
            raise ConfigError(
                Said(
                    f"unknown section [{section}]; known sections: {known}",
                    f"section [{section}] inconnue ; sections connues : {known}",
                ),
                key=section,
                line=_line_of(text, None, section),
            )
        if not isinstance(value, dict):
            raise ConfigError(
                Said("must be a [section] table", "doit être une section [section]"),
                key=section,
                line=_line_of(text, None, section),
            )
    for section, keys in SCHEMA.items():
        given = data.get(section, {})
        for key in given:
            if key not in keys:
                known = ", ".join(keys)
                raise ConfigError(
                    Said(
                        f"unknown key; keys of [{section}] are: {known}",
                        f"clé inconnue ; les clés de [{section}] sont : {known}",
                    ),
                    key=f"{section}.{key}",
                    line=_line_of(text, section, key),
                )
        values = {}
        for key, spec in keys.items():
            name = f"{section}.{key}"
            if key not in given:
                if spec.required:
                    raise ConfigError(
                        Said("is required but missing", "obligatoire mais absente"), key=name
                    )
                values[key] = spec.default
                continue
            values[key] = _checked(given[key], spec, name, _line_of(text, section, key))
        sections[section] = MappingProxyType(values)
    return Config(**sections, path=path)


def _checked(value: Any, spec: Key, name: str, line: int | None) -> Any:
    wrong_type = not isinstance(value, spec.type) or (
        isinstance(value, bool) and spec.type is not bool
    )
    if wrong_type:
        raise ConfigError(
            Said(
                f"must be a {spec.what.en}, not {value!r}",
                f"doit être {spec.what.fr}, pas {value!r}",
            ),
            key=name,
            line=line,
        )
    if spec.check is not None:
        complaint = spec.check(value)
        if complaint:
            raise ConfigError(
                Said(f"{complaint.en} (found {value!r})", f"{complaint.fr} (trouvé : {value!r})"),
                key=name,
                line=line,
            )
    return tuple(value) if isinstance(value, list) else value


def _line_of(text: str, section: str | None, key: str) -> int | None:
    """Line number (1-based) of `key = ...` inside `[section]`, or of the `[key]` header."""
    current = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.fullmatch(r"\[\s*([^\]]+?)\s*\]\s*(#.*)?", line)
        if header:
            current = header[1]
            if section is None and current == key:
                return number
            continue
        if (
            section is not None
            and current == section
            and re.match(rf"""["']?{re.escape(key)}["']?\s*=""", line)
        ):
            return number
    return None
