"""The kiosk's own Ed25519 key: made once, at first boot, and kept on the data partition.

The hub knows a kiosk by this key (enrolment sends its public half); every request the
sync process makes is signed with it. The file is written atomically with mode 0600, so a
power cut during first boot leaves either no key or a whole one, never half a key.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from appliance.durable import fsync_dir

FILENAME = "device-key.pem"


class DeviceKeyError(Exception):
    """The device key exists but cannot be read as an Ed25519 private key."""


def ensure_device_key(data_dir: str | Path) -> Ed25519PrivateKey:
    """The key in `data_dir/device-key.pem`, generated there first if there is none."""
    path = Path(data_dir) / FILENAME
    if path.exists():
        return load_device_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    temp = path.with_name(f".{FILENAME}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, pem)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        # link() refuses to replace: when two processes race at first boot, the first key
        # written wins and both go on with it.
        os.link(temp, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(temp)
    fsync_dir(path.parent)
    return load_device_key(path)


def load_device_key(path: str | Path) -> Ed25519PrivateKey:
    try:
        key = load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise DeviceKeyError(f"cannot read the device key {path}: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise DeviceKeyError(f"the device key {path} is not an Ed25519 key")
    return key
