"""What the sync integration tests share: a real hub on loopback and a kiosk configured for it."""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

from appliance.config import Config, load_config
from appliance.store import Outbox
from demo.localhub import LocalHub

# Run the same tests against another hub build: TOTEM_HUB_COMMAND="python -m otherhub".
HUB_COMMAND = shlex.split(os.environ.get("TOTEM_HUB_COMMAND", "")) or None


def local_hub(directory: Path) -> LocalHub:
    return LocalHub(directory, command=HUB_COMMAND)


def kiosk_config(
    directory: Path, hub_url: str, token: str, *, load: bool = True, **hub: str
) -> Config | None:
    """Write the kiosk's totem.toml in `directory` (and load it, unless `load` is False:
    for a file the check is meant to refuse)."""
    lines = [
        "[site]",
        'kiosk_id = "hall-01"',
        "[hub]",
        f'url = "{hub_url}"',
        f'enrollment_token = "{token}"',
        *(f'{key} = "{value}"' for key, value in hub.items()),
    ]
    path = directory / "totem.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_config(path) if load else None


def queue_ideas(data_dir: Path, count: int, prefix: str = "idée") -> set[str]:
    with Outbox(data_dir) as outbox:
        return {
            outbox.add(
                "idea",
                {"category": "cadre-de-vie", "text": f"{prefix} n°{n}", "language": "fr"},
                kiosk_id="hall-01",
                content_version="demo",
            ).id
            for n in range(count)
        }


def exported_ids(hub: LocalHub) -> list[str]:
    """Ids of every submission the hub holds, once per stored row."""
    return [json.loads(line)["id"] for line in hub.export().splitlines() if line.strip()]
