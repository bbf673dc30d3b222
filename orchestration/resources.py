"""Resources: where the data lives, and the warehouse connection."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource
from pydantic import PrivateAttr

from warehouse import db
from warehouse.settings import Paths

# The concurrency pool of every asset and check: they all write the warehouse. The instance
# (orchestration/dagster.yaml) lets one run using it be in progress at a time.
WAREHOUSE_POOL = "warehouse"


class WarehouseBusy(Exception):
    """The warehouse file is held by another process: an expected failure, reported without a trace."""


class UngaPaths(dg.ConfigurableResource):
    """The data directory; every other path (landing, warehouse, snapshot) follows from it."""

    data_dir: str

    @property
    def paths(self) -> Paths:
        return Paths(Path(self.data_dir))


class WarehouseResource(DuckDBResource):
    """DuckDBResource that opens the warehouse once per run and hands out cursors.

    DuckDBResource opens and closes the file for every ``get_connection``; closing the
    last connection checkpoints the database, which cost ~75 ms each time, 90 times a
    build. Here a connection is opened when the run initialises its resources and
    closed when it ends; each ``get_connection`` is a cursor of it (its own connection
    to the same database, with its own transactions). Outside a run (no setup), it
    falls back to a connection of its own. It also creates the warehouse's folder,
    which DuckDB does not do.
    """

    _keeper: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        Path(self.database).parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(self.database, config={"custom_user_agent": "dagster", **self.connection_config})
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            # Runs queued by Dagster never meet here (the warehouse pool); a process outside
            # the queue does: `unga build` started beside `make dagster`, the DuckDB CLI.
            raise WarehouseBusy(f"the warehouse {self.database} is open in another process, so this run could "
                                f"not start: {str(exc).splitlines()[0]}") from exc
        self._keeper = db.load_fts(db.bound_memory(con))

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._keeper is not None:
            self._keeper.close()
            self._keeper = None

    @contextmanager
    def get_connection(self):
        if self._keeper is None:
            Path(self.database).parent.mkdir(parents=True, exist_ok=True)
            with super().get_connection() as con:
                yield db.load_fts(con)
            return
        cursor = self._keeper.cursor()
        try:
            yield cursor
        finally:
            cursor.close()


def build_resources(paths: Paths) -> dict:
    return {
        "unga": UngaPaths(data_dir=str(paths.root)),
        "duckdb": WarehouseResource(database=str(paths.warehouse)),
    }
