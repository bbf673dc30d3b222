"""Resources: where the data lives, and the warehouse connection."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from warehouse.settings import Paths


class UngaPaths(dg.ConfigurableResource):
    """The data directory; every other path (landing, warehouse, snapshot) follows from it."""

    data_dir: str

    @property
    def paths(self) -> Paths:
        return Paths(Path(self.data_dir))


class WarehouseResource(DuckDBResource):
    """DuckDBResource that creates the warehouse's folder on first connection.

    DuckDB creates the file but not its folder; doing it here rather than when the
    definitions load keeps importing them free of side effects.
    """

    @contextmanager
    def get_connection(self):
        Path(self.database).parent.mkdir(parents=True, exist_ok=True)
        with super().get_connection() as con:
            yield con


def build_resources(paths: Paths) -> dict:
    return {
        "unga": UngaPaths(data_dir=str(paths.root)),
        "duckdb": WarehouseResource(database=str(paths.warehouse)),
    }
