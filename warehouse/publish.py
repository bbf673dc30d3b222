"""Publish a read-only snapshot for SQL analytics and BI tools.

The snapshot is a separate DuckDB file holding the public schemas (core, marts)
and a few operational tables (rejected files, check results, build info). It is
written beside the old one under a temporary name and moved into place with one
rename, so a reader sees either the old snapshot or the new one, never a half-
written file; and it is only moved into place when every blocking check passes on
the working warehouse and every blocking Great Expectations suite passes on the
written file itself (and, for the raw layer the snapshot does not carry, on the
working warehouse).

This module only writes the file and moves it into place (or throws it away): it
does not know the suites. The gate that runs them is handed in by the layer above
(expectations/gate.py: ``expectations.gate.publish`` is this publish with the suites'
gate), so the warehouse never imports the expectations that check it.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import duckdb
import polars as pl

from warehouse import db, exports
from warehouse.codebook import apply_comments, load_codebook
from warehouse.report import completeness
from warehouse.pipeline import warehouse_state
from warehouse.published import open_snapshot  # noqa: F401  (moved there; still importable here)

PUBLIC_SCHEMAS = ("core", "marts")
# DuckDB's cap on the working warehouse while the snapshot's suites and files are made
# from the snapshot file: nothing reads the warehouse then, so it needs no cache.
IDLE_WAREHOUSE_MEMORY = "32MB"
# Tables copied in an order of their own. The search postings (marts.paragraph_term, a few
# million rows) sorted by term: DuckDB keeps each column's min and max per row group, so a
# query for a few terms reads the row groups holding them, not the whole table (built per
# session, the working table is sorted only within each session's rows).
COPY_ORDER = {("marts", "paragraph_term"): "term, paragraph_key"}


class Verdict(Protocol):
    """What a gate says of a written snapshot (``expectations.runner.SuitesResult``)."""

    @property
    def blocking_failures(self) -> list[str]: ...

    def to_frame(self, details: bool = False) -> pl.DataFrame: ...


class Gate(Protocol):
    """The quality gate publish() asks before a written snapshot is moved into place.

    ``on_warehouse`` runs on the working warehouse (for what the snapshot does not carry)
    before the snapshot is judged; ``on_snapshot`` judges the written, not yet published
    file, given what ``on_warehouse`` returned, while the export files are written;
    ``recorded`` reads a verdict back from a published snapshot's ops.suite_result.
    """

    def on_warehouse(self, con: duckdb.DuckDBPyConnection, data_docs_dir: Path | None) -> Any: ...

    def on_snapshot(self, snapshot_file: Path, before: Any, data_docs_dir: Path | None) -> Verdict: ...

    def recorded(self, frame: pl.DataFrame, database: str, run_time: dt.datetime) -> Verdict: ...


class PublishBlocked(RuntimeError):
    """A blocking check or suite failed: the last good snapshot stays in place.

    ``failures`` maps each failed check (and ``suite <name>``) to its offending rows (for
    a suite, its failed expectations); ``suites`` is the suites' result when they ran.
    """

    def __init__(self, failures: dict[str, pl.DataFrame], suites: Verdict | None = None):
        self.failures = failures
        self.suites = suites
        summary = ", ".join(f"{name} ({frame.height} rows)" for name, frame in failures.items())
        super().__init__(f"not published, blocking checks failed: {summary}")


@dataclass
class Publication:
    """What publish() wrote: row counts per public table and the suites' result."""

    counts: dict[str, int] = field(default_factory=dict)
    suites: Verdict | None = None


def public_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    rows = con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_schema IN (SELECT unnest(?::VARCHAR[])) "
        "AND table_type = 'BASE TABLE' ORDER BY 1, 2",
        [list(PUBLIC_SCHEMAS)],
    ).fetchall()
    return [(s, t) for s, t in rows]


def publish(con: duckdb.DuckDBPyConnection, snapshot: Path, check_results: dict[str, pl.DataFrame],
            build_info: dict, *, quality: bool = True, data_docs_dir: Path | None = None,
            gate: Gate | None = None) -> Publication:
    """Write the snapshot if no check failed and, with ``quality`` and a ``gate``, the gate passes it.

    ``con`` is the working warehouse, with no transaction open. With ``quality`` (the
    default; off only for tests on hand-made miniature warehouses) the completeness tables
    are written into the snapshot and, given a ``gate`` (the suites: use
    ``expectations.gate.publish``), the gate validates it, building its Data Docs in
    ``data_docs_dir`` when given. Raises PublishBlocked, leaving the published snapshot and
    files as they were, when anything blocking failed.
    """
    gate = gate if quality else None
    failures = {name: frame for name, frame in check_results.items() if frame.height}
    if failures:
        raise PublishBlocked(failures)
    snapshot = Path(snapshot)
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(snapshot)
    tmp = snapshot.with_name(f".{snapshot.name}.{uuid.uuid4().hex[:8]}.tmp")
    alias = "snapshot_out"
    counts: dict[str, int] = {}
    con.execute(f"ATTACH {db.path_literal(tmp)} AS {alias}")
    try:
        for schema in (*PUBLIC_SCHEMAS, "ops"):
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {alias}.{schema}")
        for schema, table in public_tables(con):
            order = COPY_ORDER.get((schema, table))  # a constant of this module, never user input
            con.execute(f'CREATE TABLE {alias}.{schema}."{table}" AS SELECT * FROM {schema}."{table}"'
                        + (f" ORDER BY {order}" if order else ""))
            counts[f"{schema}.{table}"] = con.execute(f'SELECT count(*) FROM {schema}."{table}"').fetchone()[0]
        con.execute(f"CREATE TABLE {alias}.ops.rejected AS SELECT * FROM raw.rejected")
        if con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                       "AND schema_name = 'raw' AND table_name = 'held_back'").fetchone()[0]:
            con.execute(f"CREATE TABLE {alias}.ops.held_back AS SELECT session, symbol, rule, reason, failing_rows, "
                        "sample, held_at FROM raw.held_back ORDER BY session, symbol, rule")
        else:  # a warehouse made by hand in a test, without the pipeline's bookkeeping
            con.execute(f"CREATE TABLE {alias}.ops.held_back (session INTEGER, symbol VARCHAR, rule VARCHAR, "
                        "reason VARCHAR, failing_rows BIGINT, sample VARCHAR[], held_at TIMESTAMP)")
        con.execute(
            f"CREATE TABLE {alias}.ops.metadata_problem AS "
            "SELECT session, line_number, symbol, problem, raw FROM staging.metadata_problem"
        )
        checks = pl.DataFrame(
            {"check_name": list(check_results), "violations": [f.height for f in check_results.values()]},
            schema={"check_name": pl.Utf8, "violations": pl.Int64},
        )
        con.register("_checks", checks.to_arrow())
        con.execute(f"CREATE TABLE {alias}.ops.check_result AS SELECT * FROM _checks")
        con.unregister("_checks")
        info = {"published_at": dt.datetime.now(dt.UTC).replace(tzinfo=None), **build_info}
        if "warehouse_state" not in info:
            info["warehouse_state"] = _state_or_empty(con)
        con.register("_info", pl.DataFrame([info]).to_arrow())
        con.execute(f"CREATE TABLE {alias}.ops.build_info AS SELECT * FROM _info")
        con.unregister("_info")
        if quality:
            summary, detail = completeness(con)
            for name, frame in (("completeness", summary), ("completeness_detail", detail)):
                con.register("_frame", frame.to_arrow())
                con.execute(f"CREATE TABLE {alias}.ops.{name} AS SELECT * FROM _frame")
                con.unregister("_frame")
        con.execute(f"CHECKPOINT {alias}")
    except BaseException:
        con.execute(f"DETACH {alias}")
        tmp.unlink(missing_ok=True)
        raise
    con.execute(f"DETACH {alias}")
    files = exports.new_publication_dir(snapshot.parent)
    result = None
    try:
        # The suites validate the written file itself; the Parquet and network files are
        # written from the same not-yet-published file; the codebook's descriptions become
        # table and column comments for BI tools. The search tables were built with their
        # sessions (marts.paragraph_search, marts.paragraph_term) and copied like any other:
        # no full-text index is built here. DuckDB releases the GIL while it works, so the
        # files are written while the suites (Python, in GE) check the file.
        raw = gate.on_warehouse(con, data_docs_dir) if gate is not None else None
        # From here on the snapshot is read through its own connections (each with its own
        # cache): the warehouse's cache, full from the copy, is given back meanwhile.
        with db.cache_capped(con, IDLE_WAREHOUSE_MEMORY), \
                ThreadPoolExecutor(max_workers=1, thread_name_prefix="publish") as pool:
            writing = pool.submit(exports.write_files, tmp, files)
            try:
                if gate is not None:
                    result = gate.on_snapshot(tmp, raw, data_docs_dir)
            finally:
                writing.result()
        if result is not None and result.blocking_failures:
            frame = result.to_frame(details=True)
            raise PublishBlocked({f"suite {name}": frame.filter((pl.col("suite") == name) & ~pl.col("success"))
                                  for name in result.blocking_failures}, suites=result)
        finish_snapshot(tmp, result)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
        exports.discard(files)
        raise
    os.replace(tmp, snapshot)
    _fsync_dir(snapshot.parent)
    exports.activate(snapshot.parent, files)
    return Publication(counts, result)


@dataclass
class KeptSnapshot:
    """The published snapshot, when it is already what a publication would write."""

    counts: dict[str, int]
    suites: Verdict | None
    published_at: dt.datetime


def current_snapshot(snapshot: Path, state: str, gate: Gate | None = None) -> KeptSnapshot | None:
    """The snapshot, if it was published from a warehouse in ``state``; else None.

    Read-only, so a dashboard or BI tool holding the file open is no obstacle. A missing
    file, an older snapshot without a recorded state, or one whose state differs (or that
    cannot be read) means it must be written. With a ``gate``, the verdict recorded in the
    snapshot (ops.suite_result) is read back as ``suites``.
    """
    if not Path(snapshot).exists():
        return None
    try:
        con = duckdb.connect(str(snapshot), read_only=True)
    except duckdb.Error:
        return None
    try:
        try:
            row = con.execute("SELECT warehouse_state, published_at FROM ops.build_info").fetchone()
        except duckdb.Error:
            return None
        if row is None or row[0] != state:
            return None
        counts = {f"{schema}.{table}": con.execute(f'SELECT count(*) FROM {schema}."{table}"').fetchone()[0]
                  for schema, table in public_tables(con)}
        suites = None
        try:
            frame = con.execute("SELECT * FROM ops.suite_result").pl()
            suites = gate.recorded(frame, str(snapshot), row[1]) if gate is not None else None
        except duckdb.Error:
            pass
        return KeptSnapshot(counts, suites, row[1])
    finally:
        con.close()


def finish_snapshot(snapshot_file: Path, result: Verdict | None) -> None:
    """Write the suites' results (ops.suite_result) and the codebook's comments, and checkpoint."""
    con = db.bound_memory(duckdb.connect(str(snapshot_file)))
    try:
        if result is not None:
            con.register("_suites", result.to_frame().to_arrow())
            con.execute("CREATE OR REPLACE TABLE ops.suite_result AS SELECT * FROM _suites")
            con.unregister("_suites")
        apply_comments(con, load_codebook())
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _state_or_empty(con: duckdb.DuckDBPyConnection) -> str:
    """The warehouse's state for ops.build_info; empty (never matched) for a warehouse without
    the pipeline's tables, as tests' hand-made ones."""
    try:
        return warehouse_state(con)
    except duckdb.CatalogException:
        return ""


def remove_stale_temporaries(snapshot: Path) -> list[str]:
    """Delete the half-written snapshots (and their WAL files) a killed publish left behind.

    Only one process can publish a data directory at a time -- the working warehouse is
    opened for writing, which DuckDB locks -- so a temporary that exists when a publish
    starts belongs to an earlier publish that died. It was never the snapshot, so no reader
    can have it open; removing it keeps a crash from leaking disk with every retry.
    """
    removed = []
    for path in Path(snapshot).parent.glob(f".{Path(snapshot).name}.*.tmp*"):
        path.unlink(missing_ok=True)
        removed.append(path.name)
    return removed


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
