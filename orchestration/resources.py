"""Resources: where the data lives, and the warehouse connection."""

from __future__ import annotations

import dagster as dg
from dagster_duckdb import DuckDBResource

from warehouse.settings import Paths


class UngaPaths(dg.ConfigurableResource):
    """The data directory; every other path (landing, warehouse, snapshot) follows from it."""

    data_dir: str

    @property
    def paths(self) -> Paths:
        from pathlib import Path

        return Paths(Path(self.data_dir))


def build_resources(paths: Paths) -> dict:
    # DuckDB creates the file but not its folder.
    paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
    return {
        "unga": UngaPaths(data_dir=str(paths.root)),
        "duckdb": DuckDBResource(database=str(paths.warehouse)),
    }
