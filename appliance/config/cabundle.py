"""`[hub] ca_bundle`: the town hall's own certificate authority, a PEM file on TOTEMCFG.

The sync trusts whatever this file holds, so it must be what it says: a small, readable
file of PEM certificates and nothing else (never a private key, never a system file that
happens to be readable). On the totem TOTEMCFG is mounted at CFG_MOUNT; on the
installer's PC the same file sits beside `totem.toml`, so a path under CFG_MOUNT (or a
relative one) is looked up beside the file being checked when it is not found as written.
"""

from __future__ import annotations

import warnings
from pathlib import Path, PurePosixPath

from appliance.said import Said

CFG_MOUNT = PurePosixPath("/run/totem/cfg")
MAX_BYTES = 1024 * 1024  # a bundle of a few hundred certificates; more is not a CA bundle
BEGIN = b"-----BEGIN CERTIFICATE-----"


def resolve(value: str, config_path: Path | None) -> Path:
    """Where the bundle named `value` is, for a `totem.toml` at `config_path`."""
    written = Path(value)
    here = config_path.parent if config_path is not None else None
    if written.is_absolute():
        try:
            inside = PurePosixPath(value).relative_to(CFG_MOUNT)
        except ValueError:
            return written
        if written.exists() or here is None:
            return written
        return here / inside
    return here / written if here is not None else written


def problem(path: Path) -> Said | None:
    """Why the file at `path` cannot be the hub's CA bundle, or None."""
    if not path.exists():
        return Said(
            f"{path} not found (put the PEM file on TOTEMCFG beside totem.toml)",
            f"{path} introuvable (placez le fichier PEM sur TOTEMCFG à côté de totem.toml)",
        )
    if not path.is_file():
        return Said(f"{path} is not a file", f"{path} n'est pas un fichier")
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as error:
        return Said(
            f"{path} cannot be read: {error.strerror}", f"{path} illisible : {error.strerror}"
        )
    if len(data) > MAX_BYTES:
        return Said(
            f"{path} is larger than {MAX_BYTES // 1024} KB: not a CA bundle",
            f"{path} dépasse {MAX_BYTES // 1024} Ko : ce n'est pas un fichier d'autorité",
        )
    if b"PRIVATE KEY-----" in data:
        return Said(
            f"{path} holds a private key: give only the certificate (remove the key from "
            "the card, it is no longer secret)",
            f"{path} contient une clé privée : ne donnez que le certificat (retirez la clé "
            "de la carte, elle n'est plus secrète)",
        )
    if BEGIN not in data or _certificates(data) == 0:
        return Said(
            f"{path} is not a PEM file of certificates (-----BEGIN CERTIFICATE-----)",
            f"{path} n'est pas un fichier PEM de certificats (-----BEGIN CERTIFICATE-----)",
        )
    return None


def _certificates(data: bytes) -> int:
    """How many certificates the PEM blocks hold; 0 when any block is not one."""
    from cryptography import x509

    blocks = [BEGIN + part for part in data.split(BEGIN)[1:]]
    with warnings.catch_warnings():  # old CAs' quirks (a zero serial) are not our concern
        warnings.simplefilter("ignore")
        try:
            for block in blocks:
                x509.load_pem_x509_certificate(block)  # one per call: Debian 12's too
        except ValueError:
            return 0
    return len(blocks)
