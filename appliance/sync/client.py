"""Signed HTTP requests from the kiosk to its hub.

Every call but enrolment is signed with the device key over `request_message()` (method,
path, time, nonce, body hash). TLS verification is always on; a self-hosted hub's own CA
is given as a bundle path. Plain http:// is accepted only for a hub on this machine's
loopback (the demo), since anything else would send citizens' words in clear.

Failures come out as two exceptions: `HubUnavailable` (network down, timeout, 5xx: try
again later) and `HubRefused` (a 4xx: the hub understood and said no).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from appliance.config.schema import hub_url_problem
from wire.protocol import (
    API_PREFIX,
)
from wire.release import bundle_path
from wire.signing import signed_headers

DEFAULT_TIMEOUT = (10.0, 60.0)  # connect, read: a Pi on a weak town-hall Wi-Fi is slow


class HubError(Exception):
    """The hub could not be used for this request."""


class HubUnavailable(HubError):
    """Network down, timeout, connection reset or a 5xx: the same request may succeed later."""


class HubRefused(HubError):
    """The hub answered with a 4xx: repeating the request as it is will not help."""

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(message)


def check_hub_url(url: str) -> None:
    """ValueError unless `url` is https, or http to a hub on this machine (the demo)."""
    problem = hub_url_problem(url)
    if problem is not None:
        raise ValueError(f"hub.url {url!r} {problem.en}")


class HubClient:
    def __init__(
        self,
        base_url: str,
        *,
        kiosk_id: str,
        key: Ed25519PrivateKey,
        ca_bundle: str | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ):
        check_hub_url(base_url)
        if ca_bundle and not os.path.isfile(ca_bundle):
            raise ValueError(f"hub.ca_bundle {ca_bundle} does not exist")
        self.base_url = base_url.rstrip("/")
        self.kiosk_id = kiosk_id
        self.key = key
        self.timeout = timeout
        self.session = requests.Session()
        # Ignore proxy and CA environment variables: the kiosk trusts only what totem.toml says.
        self.session.trust_env = False
        self.session.verify = ca_bundle or True
        self.last_date: str | None = None  # the hub's `Date:` of its last answer (clock floor)

    def close(self) -> None:
        self.session.close()

    def enrol(self, token: str, public_key: str) -> dict[str, Any]:
        body = _json_bytes({"token": token, "kiosk_id": self.kiosk_id, "public_key": public_key})
        response = self._send("POST", "/enrol", body, signed=False)
        return _json_object(response)

    def upload(self, submissions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The hub's per-item results for one batch."""
        response = self._send("POST", "/submissions", _json_bytes({"submissions": submissions}))
        results = _json_object(response).get("results")
        if not isinstance(results, list):
            raise HubUnavailable("the hub's answer to an upload has no results list")
        return [r for r in results if isinstance(r, dict)]

    def heartbeat(self, report: dict[str, Any]) -> dict[str, Any]:
        """The hub's answer: `{}`, or `{"release": offer}` when it offers an update."""
        return _json_object(self._send("POST", "/heartbeat", _json_bytes(report)))

    def fetch_content(self, etag: str | None) -> tuple[dict[str, Any], str | None] | None:
        """(body, etag) of the hub's current content, or None when ours is current (304)."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._send("GET", "/content", b"", headers=headers)
        if response.status_code == 304:
            return None
        return _json_object(response), response.headers.get("ETag")

    def fetch_bundle(self, version: str, offset: int) -> tuple[int, Iterator[bytes]]:
        """A release's bundle from byte `offset` on: (200 or 206, its chunks). A cut
        connection while reading the chunks is HubUnavailable too; what arrived is kept."""
        path = bundle_path(version).removeprefix(API_PREFIX)
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        response = self._send("GET", path, b"", headers=headers, stream=True)

        def chunks() -> Iterator[bytes]:
            try:
                yield from response.iter_content(chunk_size=1024 * 1024)
            except requests.exceptions.RequestException as error:
                raise HubUnavailable(f"the bundle's download was cut: {_reason(error)}") from None
            finally:
                response.close()

        return response.status_code, chunks()

    def _send(
        self,
        method: str,
        path: str,
        body: bytes,
        *,
        signed: bool = True,
        headers: dict[str, str] | None = None,
        stream: bool = False,
    ) -> requests.Response:
        url = f"{self.base_url}{API_PREFIX}{path}"
        headers = dict(headers or {})
        if body:
            headers["Content-Type"] = "application/json"
        if signed:
            headers.update(
                signed_headers(self.key, self.kiosk_id, method, urlsplit(url).path, body)
            )
        try:
            response = self.session.request(
                method,
                url,
                data=body or None,
                headers=headers,
                timeout=self.timeout,
                stream=stream,
            )
        except requests.exceptions.SSLError as error:
            match = re.search(r"certificate verify failed: ([^'\")(]+)", str(error))
            reason = match[1].strip() if match else "TLS handshake failed"
            raise HubUnavailable(f"TLS verification of {self.base_url} failed: {reason}") from None
        except requests.exceptions.Timeout:
            raise HubUnavailable(f"{self.base_url} did not answer in time") from None
        except requests.exceptions.RequestException as error:
            raise HubUnavailable(f"cannot reach {self.base_url}: {_reason(error)}") from None
        self.last_date = response.headers.get("Date")
        if response.status_code >= 500:
            raise HubUnavailable(f"{self.base_url} answered {response.status_code} to {path}")
        if response.status_code >= 400:
            raise HubRefused(
                response.status_code,
                f"{self.base_url} refused {method} {path} ({response.status_code}"
                f"{_error_text(response)})",
            )
        return response


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _json_object(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except (ValueError, RecursionError):  # RecursionError: nested thousands deep, a lie
        raise HubUnavailable(f"the hub's answer ({response.status_code}) is not JSON") from None
    if not isinstance(data, dict):
        raise HubUnavailable("the hub's answer is not a JSON object")
    return data


def _error_text(response: requests.Response) -> str:
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError, RecursionError):
        return ""
    return f": {error}" if isinstance(error, str) and error else ""


def _reason(error: Exception) -> str:
    """The operating system's words (refused, reset, no route) buried in requests' message."""
    match = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", str(error))
    if match:
        return match[1].strip().lower()
    if "RemoteDisconnected" in str(error) or "Connection aborted" in str(error):
        return "the connection was closed without an answer"
    return type(error).__name__
