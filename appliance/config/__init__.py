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

from appliance.config import cabundle
from appliance.config.schema import SCHEMA, EntryComplaint, Key
from appliance.said import Said

DEFAULT_CONFIG = Path(__file__).with_name("default.toml")
# The example file with every key commented is about 6 KB; anything far larger is not an
# installer's totem.toml (a wrong file copied onto TOTEMCFG) and is refused before parsing.
MAX_BYTES = 64 * 1024
# No key of the schema nests deeper than a list of strings; deeper values are refused, and
# so is a file whose nesting is too deep for the TOML reader itself.
MAX_DEPTH = 4


class ConfigError(Exception):
    """A mistake in `totem.toml`, with the key and line it concerns, said in English and French."""

    def __init__(self, said: Said, key: str | None = None, line: int | None = None):
        self.said, self.key, self.line = said, key, line
        super().__init__(self.located("en"))

    def located(self, lang: str) -> str:
        """The message after the key and line, as the installer reads it in `lang`."""
        message = self.said.text(lang)
        line_word, colon = ("ligne", " : ") if lang == "fr" else ("line", ": ")
        where = self.key or ""
        if self.line:
            where = f"{where} ({line_word} {self.line})" if where else f"{line_word} {self.line}"
        return f"{where}{colon}{message}" if where else message


class ConfigWarning(ConfigError):
    """Not a mistake: a key an installer usually sets, said with its key like a mistake."""


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
    service: MappingProxyType
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
    return parse_config(_read(path), path)


def _read(path: Path) -> str:
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)  # never more: it may be /dev/zero or a disk image
    except FileNotFoundError:
        raise ConfigError(Said("file not found", "fichier introuvable")) from None
    except IsADirectoryError:
        raise ConfigError(
            Said("is a folder, not a file", "est un dossier, pas un fichier")
        ) from None
    except OSError as error:
        raise ConfigError(
            Said(f"cannot be read: {error.strerror}", f"illisible : {error.strerror}")
        ) from None
    if len(raw) > MAX_BYTES:
        raise ConfigError(
            Said(
                f"is larger than {MAX_BYTES // 1024} KB: not a totem.toml (start again from "
                "the example file)",
                f"dépasse {MAX_BYTES // 1024} Ko : ce n'est pas un totem.toml (repartez du "
                "fichier d'exemple)",
            )
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(
            Said(
                "is not UTF-8 text (save it as UTF-8)",
                "n'est pas du texte UTF-8 (enregistrez-le en UTF-8)",
            )
        ) from None


def parse_config(text: str, path: Path | None = None) -> Config:
    """The Config of `text`, or the first mistake in it as a ConfigError."""
    config, errors, _ = review_config(text, path)
    if errors:
        raise errors[0]
    assert config is not None
    return config


def review_file(path: str | Path) -> tuple[Config | None, list[ConfigError], list[ConfigWarning]]:
    """What `totem config check` says of a file: every mistake, every warning."""
    path = Path(path)
    try:
        text = _read(path)
    except ConfigError as error:
        return None, [error], []
    return review_config(text, path)


def review_config(
    text: str, path: Path | None = None
) -> tuple[Config | None, list[ConfigError], list[ConfigWarning]]:
    """(config, mistakes, warnings): every mistake of `text` in the order of the file, and
    the Config only when there is none. A file TOML cannot read has that one mistake."""
    try:
        data = tomllib.loads(text)
    except RecursionError:
        return None, [ConfigError(_too_deep())], []
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match[1]) if match else None
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        # tomllib says what is wrong only in English; the French keeps its words.
        said = Said(f"not valid TOML: {reason}", f"syntaxe TOML invalide ({reason})")
        return None, [ConfigError(said, line=line)], []
    if _depth(data) > MAX_DEPTH:
        return None, [ConfigError(_too_deep())], []

    errors: list[ConfigError] = []
    for section, value in data.items():
        if section not in SCHEMA:
            known = ", ".join(SCHEMA)
            said = Said(
                f"unknown section [{section}]; known sections: {known}",
                f"section [{section}] inconnue ; sections connues : {known}",
            )
            errors.append(ConfigError(said, key=section, line=_line_of(text, None, section)))
        elif not isinstance(value, dict):
            said = Said("must be a [section] table", "doit être une section [section]")
            errors.append(ConfigError(said, key=section, line=_line_of(text, None, section)))
    sections: dict[str, MappingProxyType] = {}
    for section, keys in SCHEMA.items():
        given = data.get(section, {})
        given = given if isinstance(given, dict) else {}
        for key in given:
            if key not in keys:
                known = ", ".join(keys)
                said = Said(
                    f"unknown key; keys of [{section}] are: {known}",
                    f"clé inconnue ; les clés de [{section}] sont : {known}",
                )
                line = _line_of(text, section, key)
                errors.append(ConfigError(said, key=f"{section}.{key}", line=line))
        values = {}
        for key, spec in keys.items():
            values[key] = spec.default
            name = f"{section}.{key}"
            if key not in given:
                if spec.required:
                    said = Said("is required but missing", "obligatoire mais absente")
                    errors.append(ConfigError(said, key=name))
                continue
            try:
                values[key] = _checked(given[key], spec, name, _line_of(text, section, key))
            except ConfigError as error:
                errors.append(error)
        sections[section] = MappingProxyType(values)
    try:
        sections["hub"] = _with_ca_bundle(sections["hub"], text, path)
    except ConfigError as error:
        errors.append(error)
    errors.sort(key=lambda error: error.line or 0)
    if errors:
        return None, errors, []
    return Config(**sections, path=path), [], _warnings(data)


def _warnings(data: dict) -> list[ConfigWarning]:
    """Keys an installer usually sets: without them the totem runs, but on its own."""
    site, hub = data.get("site", {}), data.get("hub", {})
    found = []
    if "kiosk_id" not in site:
        found.append(
            ConfigWarning(
                Said(
                    "is not set: the totem is named totem-demo, like every totem left so",
                    "n'est pas définie : la borne s'appelle totem-demo, comme toutes celles "
                    "laissées ainsi",
                ),
                key="site.kiosk_id",
            )
        )
    for key in ("url", "enrollment_token"):
        if key not in hub:
            found.append(
                ConfigWarning(
                    Said(
                        "is not set: the totem runs standalone, keeping what citizens submit "
                        "until it has a hub",
                        "n'est pas définie : la borne fonctionne seule et garde les "
                        "contributions jusqu'à ce qu'elle ait un hub",
                    ),
                    key=f"hub.{key}",
                )
            )
    return found


def _with_ca_bundle(hub: MappingProxyType, text: str, path: Path | None) -> MappingProxyType:
    """`hub.ca_bundle` checked and resolved to where the file really is."""
    if not hub["ca_bundle"]:
        return hub
    where = cabundle.resolve(hub["ca_bundle"], path)
    complaint = cabundle.problem(where)
    if complaint is not None:
        raise ConfigError(complaint, key="hub.ca_bundle", line=_line_of(text, "hub", "ca_bundle"))
    return MappingProxyType({**hub, "ca_bundle": str(where)})


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
        if isinstance(complaint, EntryComplaint):
            name, complaint = f"{name}[{complaint.index}]", complaint.said
        if complaint:
            raise ConfigError(
                Said(f"{complaint.en} (found {value!r})", f"{complaint.fr} (trouvé : {value!r})"),
                key=name,
                line=line,
            )
    return tuple(value) if isinstance(value, list) else value


def _too_deep() -> Said:
    return Said(
        "has lists or tables nested too deeply: no key of totem.toml takes more than a list",
        "contient des listes ou tables trop imbriquées : aucune clé de totem.toml ne prend "
        "plus qu'une liste",
    )


def _depth(value: Any, limit: int = MAX_DEPTH + 1) -> int:
    """How deep lists and tables nest in `value`, counted up to `limit` at most."""
    if limit <= 0 or not isinstance(value, dict | list):
        return 0
    children = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(child, limit - 1) for child in children), default=0)


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
