"""Publish a read-only snapshot for SQL analytics and BI tools.

The snapshot is a separate DuckDB file holding the public schemas (core, marts)
and a few operational tables (rejected files, check results, build info). It is
written beside the old one under a temporary name and moved into place with one
rename, so a reader sees either the old snapshot or the new one, never a half-
written file; and it is only written when every blocking check passes.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import duckdb
import polars as pl

from warehouse import db, exports
from warehouse.codebook import apply_comments, load_codebook
from warehouse.search import index_snapshot

PUBLIC_SCHEMAS = ("core", "marts")


class PublishBlocked(RuntimeError):
    """A blocking check failed: the last good snapshot stays in place."""

    def __init__(self, failures: dict[str, pl.DataFrame]):
        self.failures = failures
        summary = ", ".join(f"{name} ({frame.height} rows)" for name, frame in failures.items())
        super().__init__(f"not published, blocking checks failed: {summary}")


def public_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    rows = con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_schema IN (SELECT unnest(?::VARCHAR[])) "
        "AND table_type = 'BASE TABLE' ORDER BY 1, 2",
        [list(PUBLIC_SCHEMAS)],
    ).fetchall()
    return [(s, t) for s, t in rows]


def publish(con: duckdb.DuckDBPyConnection, snapshot: Path, check_results: dict[str, pl.DataFrame],
            build_info: dict) -> dict:
    """Write the snapshot if no check failed; return what was published."""
    failures = {name: frame for name, frame in check_results.items() if frame.height}
    if failures:
        raise PublishBlocked(failures)
    snapshot = Path(snapshot)
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    tmp = snapshot.with_name(f".{snapshot.name}.{uuid.uuid4().hex[:8]}.tmp")
    alias = "snapshot_out"
    counts: dict[str, int] = {}
    con.execute(f"ATTACH {db.path_literal(tmp)} AS {alias}")
    try:
        for schema in (*PUBLIC_SCHEMAS, "ops"):
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {alias}.{schema}")
        for schema, table in public_tables(con):
            con.execute(f'CREATE TABLE {alias}.{schema}."{table}" AS SELECT * FROM {schema}."{table}"')
            counts[f"{schema}.{table}"] = con.execute(f'SELECT count(*) FROM {schema}."{table}"').fetchone()[0]
        con.execute(f"CREATE TABLE {alias}.ops.rejected AS SELECT * FROM raw.rejected")
        con.execute(
            f"CREATE TABLE {alias}.ops.metadata_problem AS "
            "SELECT session, line_number, symbol, problem, raw FROM staging.metadata_problem"
        )
        checks = pl.DataFrame(
            {"check_name": list(check_results), "violations": [f.height for f in check_results.values()]}
        )
        con.register("_checks", checks.to_arrow())
        con.execute(f"CREATE TABLE {alias}.ops.check_result AS SELECT * FROM _checks")
        con.unregister("_checks")
        info = {"published_at": dt.datetime.now(dt.UTC).replace(tzinfo=None), **build_info}
        con.register("_info", pl.DataFrame([info]).to_arrow())
        con.execute(f"CREATE TABLE {alias}.ops.build_info AS SELECT * FROM _info")
        con.unregister("_info")
        con.execute(f"CHECKPOINT {alias}")
    except BaseException:
        con.execute(f"DETACH {alias}")
        tmp.unlink(missing_ok=True)
        raise
    con.execute(f"DETACH {alias}")
    files = exports.new_publication_dir(snapshot.parent)
    try:
        # The full-text index (marts.paragraph_search) is built in the file itself, the
        # codebook's descriptions become table and column comments for BI tools, and the
        # Parquet and network files are written from the same not-yet-published file.
        index_snapshot(tmp)
        describe_snapshot(tmp)
        exports.write_files(tmp, files)
    except BaseException:
        tmp.unlink(missing_ok=True)
        exports.discard(files)
        raise
    os.replace(tmp, snapshot)
    _fsync_dir(snapshot.parent)
    exports.activate(snapshot.parent, files)
    return counts


def describe_snapshot(path: Path) -> int:
    """Write the codebook (warehouse/codebook.yaml) into the snapshot as comments."""
    con = duckdb.connect(str(path))
    try:
        return apply_comments(con, load_codebook())
    finally:
        con.close()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def open_snapshot(snapshot: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published snapshot."""
    if not Path(snapshot).exists():
        raise FileNotFoundError(f"no published snapshot at {snapshot}: run `unga build` (or `make run`) first")
    return duckdb.connect(str(snapshot), read_only=True)
