"""What every check is given: where to read the machine, the settings, the data directory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from appliance.hwcheck.sysroot import Sysroot

DEFAULT_DATA_DIR = Path("/var/lib/totem")


@dataclass(frozen=True)
class CheckContext:
    sysroot: Sysroot
    data_dir: Path = DEFAULT_DATA_DIR
    config: Any = None  # appliance.config.Config, or None when totem.toml could not be read
    now: datetime | None = None
    # Where this process finds the data directory's files (outbox, report). By default
    # the checked machine's data directory; a test on a recorded tree points it elsewhere.
    local_data: Path | None = None

    @property
    def live(self) -> bool:
        return self.sysroot.live

    def current_time(self) -> datetime:
        return self.now or datetime.now(UTC)

    def data_path(self) -> str:
        """The data directory as a path on the checked machine (inside the sysroot)."""
        return str(self.data_dir)

    def local_data_dir(self) -> Path:
        """The data directory's files as this process reaches them."""
        if self.local_data is not None:
            return self.local_data
        return self.data_dir if self.live else self.sysroot.path(str(self.data_dir))
