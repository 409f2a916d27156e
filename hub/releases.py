"""Releases: a bundle stored once, offered to all kiosks, a list, or a share of them.

`totem-hub release publish` reads the release's version from the bundle's own manifest,
copies the bundle into the release store and records its size and SHA-256; a kiosk's
heartbeat is answered with the newest release offered to it that is newer than what it
runs, as a manifest signed with the content key. Staged rollout: a list of kiosk ids, or a
percentage — each kiosk falls in or out by a hash of its id and the version, so raising
the percentage only adds kiosks, and each release draws its own share.
"""

from __future__ import annotations

import configparser
import hashlib
import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, insert, select

from hub import content
from hub.database import reading
from hub.schema import kiosk_updates, releases
from wire.protocol import b64, canonical_json
from wire.release import (
    COMPATIBLE,
    MAX_BUNDLE_BYTES,
    VersionError,
    newer,
    parse_version,
    validate_manifest,
)

# What the agents' kiosks page shows of a kiosk's update report, each cut to a line.
UPDATE_FIELDS = ("state", "offered", "reason", "at", "result", "result_reason")
UPDATE_TEXT_MAX = 200


class ReleaseRefused(ValueError):
    pass


@dataclass(frozen=True)
class Release:
    version: str
    size: int
    sha256: str
    path: str
    kiosks: list[str] | None
    percent: int

    def manifest(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "size": self.size,
            "sha256": self.sha256,
            "compatible": COMPATIBLE,
        }


def bundle_version(bundle: Path) -> str:
    """The release a RAUC bundle holds, from its own manifest.raucm (read with squashfs-tools'
    `unsquashfs -cat`, no mount): the version the vendor signed, not a file name."""
    try:
        shown = subprocess.run(
            ["unsquashfs", "-cat", str(bundle), "manifest.raucm"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except FileNotFoundError:
        raise ReleaseRefused("unsquashfs is missing: apt-get install squashfs-tools") from None
    if shown.returncode != 0:
        raise ReleaseRefused(f"{bundle.name} is not a RAUC bundle (no manifest.raucm inside)")
    manifest = configparser.ConfigParser(interpolation=None)
    try:
        manifest.read_string(shown.stdout)
        compatible = manifest.get("update", "compatible")
        version = manifest.get("update", "version")
    except configparser.Error as error:
        raise ReleaseRefused(f"{bundle.name}: its manifest.raucm is unreadable: {error}") from None
    if compatible != COMPATIBLE:
        raise ReleaseRefused(f"{bundle.name} is for {compatible!r}, not {COMPATIBLE!r}")
    try:
        return str(parse_version(version))
    except VersionError as error:
        raise ReleaseRefused(f"{bundle.name}: {error}") from None


def publish(
    engine: Engine,
    bundle: Path,
    store: Path,
    kiosks: list[str] | None = None,
    percent: int = 100,
) -> Release:
    """Copy `bundle` into `store` and offer it (to `kiosks`, or to `percent` % of all)."""
    if not bundle.is_file():
        raise ReleaseRefused(f"{bundle}: no such bundle file")
    if not 0 <= percent <= 100:
        raise ReleaseRefused("--percent must be between 0 and 100")
    version = bundle_version(bundle)
    size = bundle.stat().st_size
    if not 0 < size <= MAX_BUNDLE_BYTES:
        raise ReleaseRefused(f"{bundle.name}: {size} bytes is not a bundle's size")
    with reading(engine) as connection:
        known = connection.execute(select(releases.c.version)).scalars().all()
    if version in known:
        raise ReleaseRefused(f"release {version} is already published")
    store.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    temp = store / f".{version}.part"
    with open(bundle, "rb") as source, open(temp, "wb") as out:
        while chunk := source.read(1024 * 1024):
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    target = store / f"totem-{version}.raucb"
    os.replace(temp, target)
    release = Release(version, size, digest.hexdigest(), str(target.resolve()), kiosks, percent)
    with engine.begin() as connection:
        connection.execute(
            insert(releases).values(
                version=version,
                size=size,
                sha256=release.sha256,
                path=release.path,
                kiosks=json.dumps(kiosks) if kiosks is not None else None,
                percent=percent,
                published_at=int(time.time()),
            )
        )
    return release


def all_releases(engine: Engine) -> list[Release]:
    with reading(engine) as connection:
        rows = connection.execute(select(releases)).all()
    found = [
        Release(
            r.version,
            r.size,
            r.sha256,
            r.path,
            json.loads(r.kiosks) if r.kiosks is not None else None,
            r.percent,
        )
        for r in rows
    ]
    return sorted(found, key=lambda r: parse_version(r.version))


def in_rollout(release: Release, kiosk_id: str) -> bool:
    if release.kiosks is not None:
        return kiosk_id in release.kiosks
    bucket = int(hashlib.sha256(f"{release.version}:{kiosk_id}".encode()).hexdigest()[:8], 16)
    return bucket % 100 < release.percent


def offer_for(found: list[Release], kiosk_id: str, running: Any) -> Release | None:
    """The newest release offered to `kiosk_id` newer than the `running` it reported."""
    try:
        parse_version(str(running))
    except VersionError:
        return None  # a kiosk that does not say what it runs is offered nothing
    for release in reversed(found):
        if in_rollout(release, kiosk_id) and newer(release.version, str(running)):
            return release
    return None


def signed_offer(engine: Engine, release: Release) -> dict[str, Any]:
    manifest = validate_manifest(release.manifest())
    signature = b64(content.content_key(engine).sign(canonical_json(manifest)))
    return {"manifest": manifest, "signature": signature}


def release(engine: Engine, version: str) -> Release | None:
    return next((r for r in all_releases(engine) if r.version == version), None)


def record_update_report(engine: Engine, kiosk_id: str, report: Any) -> None:
    """Keep what the kiosk said of its updates: its state, the release offered or being
    installed, and its last result (installed, booted, marked good, rolled back and why)."""
    if not isinstance(report, dict):
        return
    kept = {key: _short(report.get(key)) for key in UPDATE_FIELDS if report.get(key) is not None}
    with engine.begin() as connection:
        connection.execute(delete(kiosk_updates).where(kiosk_updates.c.kiosk_id == kiosk_id))
        connection.execute(insert(kiosk_updates).values(kiosk_id=kiosk_id, report=json.dumps(kept)))


def _short(value: Any) -> str:
    return str(value)[:UPDATE_TEXT_MAX]


def update_reports(engine: Engine) -> dict[str, dict[str, Any]]:
    with reading(engine) as connection:
        rows = connection.execute(select(kiosk_updates)).all()
    reports = {}
    for row in rows:
        value = json.loads(row.report)
        if isinstance(value, dict):
            reports[row.kiosk_id] = value
    return reports
