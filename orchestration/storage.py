"""Dagster's SQLite event log, with its connections kept open while a process writes.

Dagster's ``SqliteEventLogStorage`` builds a new SQLAlchemy engine, opens a new SQLite
connection and commits with a full sync for every event it stores, twice for an asset
event (the run's database and the index). A build of the six bundled sessions stores a
few thousand events (planned, materialised and checked, per asset and per partition), and
that bookkeeping cost seconds of every `unga build` (a profile of one session's build:
``store_event`` took a sixth of the run, most of it in ``create_engine`` and connecting).

This subclass changes only how connections are made: one engine per database, kept for the
few databases a process writes at a time (the run's and the index; an LRU of ``_KEEP``),
and ``synchronous=NORMAL``, SQLite's recommended setting in WAL mode, which Dagster's
databases use: a commit is durable across a crash of the process, and only a power cut can
lose the last commits of the run history -- never the warehouse, which is DuckDB's.
Everything else (schema, migrations, queries, the files under history/runs) is Dagster's
own, so an instance written by either class is read by the other.

Configured in orchestration/dagster.yaml (``event_log_storage``). Dagster is pinned in
pyproject.toml; the override is ``_connect``, the one method all of the class's reads and
writes go through.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from sqlalchemy.engine import Connection, Engine

# Engines kept open per process. A writer needs two (its run's database and the index); the
# webserver reads many runs' databases, and a bound keeps it from holding a file open for
# each run it ever showed.
_KEEP = 8


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """``SqliteEventLogStorage`` that keeps an engine (and its connection) per database."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._engines_lock = threading.Lock()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData | None, config_value) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        with self._engines_lock:
            engine = self._engines.get(shard)
            if engine is not None:
                self._engines.move_to_end(shard)
                return engine
            engine = sa.create_engine(
                self.conn_string_for_shard(shard),
                # One connection kept, used under the storage's lock (_db_lock) by whichever
                # thread holds it (the webserver's event log watcher runs in its own); a few
                # more may open for a moment (a schema check inspects the database while a
                # connection is open) and are closed when returned.
                poolclass=sa.pool.QueuePool, pool_size=1, max_overflow=4,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            sa.event.listen(engine, "connect", _pragmas)
            self._engines[shard] = engine
            while len(self._engines) > _KEEP:
                _, old = self._engines.popitem(last=False)
                old.dispose()
            return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn:
                with conn.begin():
                    yield conn

    def _forget_engines(self) -> None:
        with self._engines_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    def wipe(self) -> None:
        self._forget_engines()  # the files are deleted: no connection may outlive them
        super().wipe()

    def dispose(self) -> None:
        self._forget_engines()
        super().dispose()


def _pragmas(dbapi_connection: sqlite3.Connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()
