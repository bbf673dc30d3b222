"""Connections, SQL files and Arrow loads: the only place that talks to DuckDB directly."""

from __future__ import annotations

import hashlib
import os
import re
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb
import polars as pl

from transforms.memory import release_freed_memory
from warehouse.registry import registry

SQL_ROOT = Path(__file__).with_name("sql")


class SqlParameterMissing(KeyError):
    """A statement of a SQL file names a ``$parameter`` its caller did not give."""

    def __str__(self) -> str:  # KeyError's own str() would quote the message
        return str(self.args[0])


def sql_text(name: str) -> str:
    """The text of a SQL file under warehouse/sql, e.g. 'core/link_citations.sql'."""
    return (SQL_ROOT / name).read_text(encoding="utf-8")


def statements(con: duckdb.DuckDBPyConnection, text: str) -> list[duckdb.Statement]:
    """The statements of a script, as DuckDB's own parser splits them.

    Each carries its ``query`` text, its ``type`` and the ``named_parameters`` it uses.
    A PRAGMA that expands into SQL (fts's create_fts_index) is expanded here, against
    the connection's catalog as it is now: it cannot follow, in the same script, a
    statement that creates what it reads.
    """
    return con.extract_statements(text)


def split_statements(text: str, con: duckdb.DuckDBPyConnection | None = None) -> list[str]:
    """The text of each statement of a script (on ``con``, or a fresh in-memory database)."""
    if con is not None:
        return [s.query.strip() for s in statements(con, text)]
    with duckdb.connect() as scratch:
        return [s.query.strip() for s in statements(scratch, text)]


def _bind(stmt: duckdb.Statement, params: dict, where: str, index: int) -> dict | None:
    """The parameters a statement names, taken from ``params``: never formatted into the SQL."""
    names = stmt.named_parameters
    missing = sorted(names - params.keys())
    if missing:
        raise SqlParameterMissing(
            f"{where}, statement {index}: SQL parameter(s) not given: {', '.join('$' + m for m in missing)}")
    return {k: params[k] for k in names} if names else None


def run_sql(con: duckdb.DuckDBPyConnection, text: str, params: dict | None = None, *,
            name: str = "SQL script") -> None:
    """Run every statement of a script, binding each the named parameters it uses."""
    params = params or {}
    for i, stmt in enumerate(statements(con, text), start=1):
        con.execute(stmt, _bind(stmt, params, name, i))


def run_sql_file(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> None:
    run_sql(con, sql_text(name), params, name=name)


def query_file(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pl.DataFrame:
    """Run a single-statement SQL file and return its result as a Polars frame."""
    return _execute_file(con, name, params).pl()


def fetch_file(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> list[tuple]:
    """Run a single-statement SQL file and return its rows as tuples: for a small result
    read at once, where a Polars frame's conversion (through Arrow) costs more than the
    rows (about 1-2 ms a query, against a search's 20-30 ms; issue 18)."""
    return _execute_file(con, name, params).fetchall()


def _execute_file(con: duckdb.DuckDBPyConnection, name: str, params: dict | None) -> duckdb.DuckDBPyConnection:
    found = statements(con, sql_text(name))
    if len(found) != 1:
        raise ValueError(f"{name}: expected one statement, found {len(found)}")
    return con.execute(found[0], _bind(found[0], params or {}, name, 1))


WAREHOUSE_SCHEMAS = ("raw", "staging", "core", "marts", "ops")


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
    return h.hexdigest()[:16]


def base_ddl_version() -> str:
    """A hash of the DDL files of warehouse/sql/ddl: the schemas, the raw and staging layers."""
    return _digest(*(p.name.encode() + p.read_bytes() for p in sorted((SQL_ROOT / "ddl").glob("*.sql"))))


def model_ddl_versions() -> dict[str, str]:
    """A hash of each model's CREATE statement (warehouse/models)."""
    return {m.name: _digest(m.ddl.encode()) for m in registry().public()}


def ddl_version() -> str:
    """A hash of the DDL: the shape of every table in the working warehouse."""
    return _digest(base_ddl_version().encode(), repr(sorted(model_ddl_versions().items())).encode())


def ensure_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Create the warehouse's tables; return True when an older layout was dropped first.

    The working warehouse is derived from the landing folder, so it is rebuilt rather than
    migrated by hand. When the raw or staging layer's DDL changes, every table is dropped
    and every layer rebuilt on the next build. When one model's CREATE statement changes
    (a new column) or a model is added or removed, only that table is dropped and made
    again, and its recorded versions forgotten: the next build rebuilds it and what reads
    it, nothing else. The published snapshot is a separate file and stays in place until
    the rebuilt warehouse is published.
    """
    version = ddl_version()
    tables = {r[0] for r in con.execute(
        "SELECT table_schema || '.' || table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database()").fetchall()}
    recorded: dict[str, str] = {}
    if "raw.ddl_state" in tables:
        recorded = dict(con.execute("SELECT part, version FROM raw.ddl_state").fetchall())
        if recorded.get("") == version:
            return False
    models = model_ddl_versions()
    base = base_ddl_version()
    dropped = False
    if recorded.get("base") != base:
        if any(t.split(".")[0] in WAREHOUSE_SCHEMAS for t in tables):
            for schema in WAREHOUSE_SCHEMAS:
                con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            dropped = True
        for path in sorted((SQL_ROOT / "ddl").glob("*.sql")):
            run_sql(con, path.read_text(encoding="utf-8"), name=f"ddl/{path.name}")
        recorded = {}
    reg = registry()
    with transaction(con):
        for name in sorted(set(recorded) - set(models) - {"", "base"}):
            # A model removed: its table goes (the name was recorded from a model file, checked there).
            con.execute(f"DROP TABLE IF EXISTS {_table_name(name)}")
            con.execute("DELETE FROM raw.model_state WHERE model = ?", [name])
        for name, ddl in models.items():
            if recorded.get(name) != ddl:
                con.execute(f"DROP TABLE IF EXISTS {_table_name(name)}")
                run_sql(con, reg[name].ddl, name=reg[name].label)
                con.execute("DELETE FROM raw.model_state WHERE model = ?", [name])
        con.execute("CREATE TABLE IF NOT EXISTS raw.ddl_state (part VARCHAR NOT NULL, version VARCHAR NOT NULL)")
        con.execute("DELETE FROM raw.ddl_state")
        con.executemany("INSERT INTO raw.ddl_state VALUES (?, ?)",
                        [["", version], ["base", base], *([n, v] for n, v in models.items())])
    return dropped


MEMORY_ENV = "UNGA_DUCKDB_MEMORY"
# 512 MB per database: a build has the working warehouse and, while it publishes, the snapshot
# open (each database its own cap), beside its Python frames and the worker processes, and
# the whole must stay under 2 GB at ten times the bundled corpus (issue 18). The build's own
# statements work on a session at a time and spill where they need more.
DEFAULT_MEMORY = "512MB"
_MEMORY = re.compile(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


def memory_limit() -> str:
    """DuckDB's memory limit for the build's connections (``UNGA_DUCKDB_MEMORY``, default 512MB)."""
    value = os.environ.get(MEMORY_ENV, "").strip() or DEFAULT_MEMORY
    if not _MEMORY.fullmatch(value):
        raise ValueError(f"{MEMORY_ENV}={value!r}: expected a size such as 1GB or 512MB")
    return value


def bound_memory(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Cap DuckDB's memory for a build connection (the setting holds for its database).

    DuckDB's default is 80% of the machine's memory, and it keeps what it read cached up
    to that: at ten times the bundled corpus a build grew to several GB without needing
    them. With a cap it evicts cached blocks and spills large operators to disk instead.
    """
    con.execute(f"SET memory_limit = '{memory_limit()}'")  # checked against _MEMORY: digits and a unit
    con.execute("SET enable_progress_bar = false")  # the build reports its own progress
    # DuckDB checkpoints on its own whenever 16 MB of log has gathered: many times per
    # session in a build, each rewriting the tables' partly filled last row groups. With the
    # threshold above what a build step logs, the build checkpoints when the connection
    # closes (or, at many times the corpus, every CHECKPOINT_THRESHOLD of log). Measured on a
    # full build, back to back: 27.3 and 28.2 s against 29.0 and 29.5 s, and a warehouse file
    # of 310 MB instead of 336 MB; checkpointing explicitly after each session instead was
    # slower (29.5 and 30.0 s, 382 MB). Committed data is in the log either way, so a crash
    # loses nothing: DuckDB replays the log when the file is next opened.
    con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
    return con


# Far above the log one build step writes (tens of MB for a session's layers), so the
# automatic checkpoint does not fire between steps; not a tuned figure: any size well above a
# step's log and well below the disk does the same. The log file grows to at most this.
CHECKPOINT_THRESHOLD = "1GB"


@contextmanager
def cache_capped(con: duckdb.DuckDBPyConnection, limit: str):
    """A build connection's DuckDB memory capped at ``limit`` for a while, then ``memory_limit()`` again.

    Lowering the limit makes DuckDB evict its cached blocks down to it at once (they are
    read again from the file when needed) and the freed heap goes back to the OS, so a step
    that needs little of DuckDB (the series lineage, whose memory is in Polars and the
    worker processes) or a phase that works on another database (the snapshot's suites)
    does not carry the warehouse's full cache beside its own peak. When the uncommitted
    work of the open transaction cannot be brought under ``limit``, the cap is not lowered.
    """
    if not _MEMORY.fullmatch(limit):
        raise ValueError(f"{limit!r}: expected a size such as 128MB")
    try:
        con.execute(f"SET memory_limit = '{limit}'")  # checked against _MEMORY: digits and a unit
    except duckdb.OutOfMemoryException:
        capped = False
    else:
        capped = True
        release_freed_memory()
    try:
        yield con
    finally:
        if capped:
            con.execute(f"SET memory_limit = '{memory_limit()}'")  # checked in memory_limit()


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    return load_fts(bound_memory(duckdb.connect(str(path), read_only=read_only)))


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    """All or nothing: a failure part-way leaves the tables as they were."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    else:
        con.execute("COMMIT")


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, **constants) -> int:
    """Insert a Polars frame through Arrow, matching columns by name.

    ``constants`` add columns with one value (the session a partition is loaded under).
    """
    if frame.height == 0:
        return 0
    if constants:
        frame = frame.with_columns(**{k: pl.lit(v) for k, v in constants.items()})
    _run_on_incoming(con, frame.to_arrow(), f"INSERT INTO {_table_name(table)} BY NAME SELECT * FROM _incoming")
    return frame.height


def insert_query(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame, sql: str, params: list | None = None) -> int:
    """Insert a Polars frame through a statement that reads it as ``_incoming`` (to add
    keys or columns computed in SQL); returns the frame's rows."""
    if frame.height == 0:
        return 0
    _run_on_incoming(con, frame.to_arrow(), sql, params)
    return frame.height


def _run_on_incoming(con: duckdb.DuckDBPyConnection, arrow, sql: str, params: list | None = None) -> None:
    """Run ``sql``, which reads ``arrow`` as ``_incoming``: a local variable DuckDB finds by name.

    Not ``con.register``: inside a transaction, the view it makes stays in the catalog's undo
    history after ``unregister`` and holds the Arrow data until the transaction ends. The
    global step (one transaction) appends the whole series lineage batch by batch, and its
    batches stayed resident to the commit (some 500 MB at ten times the bundled corpus).
    """
    _incoming = arrow  # read by the statement, through DuckDB's replacement scan
    con.execute(sql, params or [])


def _table_name(table: str) -> str:
    # Table names come from this package's code, never from users; still, refuse anything odd.
    if not re.fullmatch(r"[a-z_]+\.[a-z_]+", table):
        raise ValueError(f"not a warehouse table name: {table!r}")
    return table


def path_literal(path: Path | str) -> str:
    """A file path as a SQL string literal, for statements that take no parameters.

    DuckDB's ATTACH and LOAD accept only literals. Doubling single quotes is the
    whole of SQL string quoting (DuckDB reads no backslash escapes), and NUL, which
    no file name holds, is refused.
    """
    text = str(path)
    if "\x00" in text:
        raise ValueError("path contains a NUL character")
    return "'" + text.replace("'", "''") + "'"


def load_fts(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """LOAD the fts extension from the wheel's file (LOAD takes only a literal).

    The build needs its porter stemmer, stem(), for the search models
    (marts.paragraph_term); a build connection loads it when it opens, for the whole
    database (cursors included). It is never downloaded: without the wheel this fails.
    """
    path = fts_extension_path()
    if not path:
        raise RuntimeError(
            f"the DuckDB fts extension is not installed: pip install duckdb-extension-fts=={duckdb.__version__}")
    con.execute(f"LOAD {path_literal(path)}")
    return con


def fts_extension_path() -> str | None:
    """Path of the fts extension shipped by the duckdb-extension-fts wheel, if installed."""
    try:
        pkg = resources.files("duckdb_extension_fts")
    except ModuleNotFoundError:
        return None
    # The wheel keeps it under extensions/v<duckdb version>/fts.duckdb_extension.
    found = sorted(Path(str(pkg)).rglob("*.duckdb_extension"))
    wanted = [p for p in found if f"v{duckdb.__version__}" in p.parts]
    return str((wanted or found)[0]) if found else None
