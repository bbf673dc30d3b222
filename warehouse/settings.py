"""Where things live. One setting, the data directory, decides all paths.

``--data-dir`` or ``UNGA_DATA_DIR`` (default ``./data``) holds the landing folder,
the working warehouse, the published snapshot, reports and Dagster's home, so a
test that points it at a temporary folder never touches a developer's data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "UNGA_DATA_DIR"


@dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse" / "unga.duckdb"

    @property
    def published_dir(self) -> Path:
        return self.root / "published"

    @property
    def snapshot(self) -> Path:
        return self.published_dir / "unga.duckdb"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster_home"

    @property
    def runs_log(self) -> Path:
        return self.root / "runs.jsonl"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def last_publication(self) -> Path:
        """What the last publication attempt decided (orchestration/build.py), for `unga build`'s summary."""
        return self.reports / "last_publication.json"


def data_dir(explicit: str | Path | None = None) -> Path:
    value = explicit or os.environ.get(ENV_VAR) or "data"
    return Path(value).expanduser().resolve()


def paths(explicit: str | Path | None = None) -> Paths:
    return Paths(data_dir(explicit))
