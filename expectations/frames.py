"""The suites' frames read from DuckDB into pandas, in worker threads ahead of GE: a table's
columns (only those its expectations read), the codebook frame, the rules frame, and the
values of lookups."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import duckdb
import pandas as pd

from .results import _text, rows_by_symbol
from .spec import LONG_TEXT, Frame, Lookup


def _catalogue(con) -> dict[str, dict[str, str]]:
    """"schema.table" -> {column: DuckDB type} for the current database's base tables."""
    rows = con.execute(
        "SELECT c.schema_name, c.table_name, c.column_name, c.data_type "
        "FROM duckdb_columns() c JOIN duckdb_tables() t "
        "  ON t.database_name = c.database_name AND t.schema_name = c.schema_name AND t.table_name = c.table_name "
        "WHERE c.database_name = current_database() AND NOT c.internal "
        "ORDER BY c.schema_name, c.table_name, c.column_index").fetchall()
    out: dict[str, dict[str, str]] = {}
    for schema, table, column, dtype in rows:
        out.setdefault(f"{schema}.{table}", {})[column] = dtype
    return out


class _Loader:
    """Reads frames from DuckDB, ahead of GE, in worker threads with a cursor each (DuckDB
    runs queries without the GIL, so reading overlaps GE's pure-Python validation)."""

    def __init__(self, con, catalogue, workers: int):
        self.con, self.catalogue = con, catalogue
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gx-load") if workers > 0 else None
        self._local = threading.local()
        self._cursors: list = []
        self._lock = threading.Lock()

    def _cursor(self):
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._local.cursor = self.con.cursor()
            try:  # a long rule query must not draw DuckDB's progress bar on the terminal
                cur.execute("SET enable_progress_bar = false")
            except duckdb.Error:
                pass
            with self._lock:
                self._cursors.append(cur)
        return cur

    def call(self, fn):
        """``fn(cursor)`` in a worker thread (on ``con`` itself, when asked, without workers)."""
        if self.pool is None:
            return _Deferred(lambda: fn(self.con))
        return self.pool.submit(lambda: fn(self._cursor()))

    def submit(self, frame: Frame):
        if self.pool is None:
            return _Deferred(lambda: _load(self.con, frame, self.catalogue))
        return self.pool.submit(lambda: _load(self._cursor(), frame, self.catalogue))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        for cur in self._cursors:
            try:
                cur.close()
            except duckdb.Error:
                pass


class _Prefetch:
    """The frames' loads, started a few ahead of the one being validated, in order.

    Loading every frame at once would hold every table of the snapshot in pandas at the
    same time (7 GB at ten times the bundled corpus); a few ahead keep the loader threads
    busy while GE works, with memory bounded by the largest frames rather than their sum.
    """

    def __init__(self, loader: "_Loader", frames: list[Frame], ahead: int):
        self.loader, self.ahead = loader, max(1, ahead)
        self.frames = iter(frames)
        self.queue: dict[int, Any] = {}
        self._fill()

    def _fill(self) -> None:
        while len(self.queue) < self.ahead:
            frame = next(self.frames, None)
            if frame is None:
                return
            self.queue[id(frame)] = self.loader.submit(frame)

    def pop(self, key: int):
        """The load of the frame with ``id`` key (they are taken in the order given)."""
        future = self.queue.pop(key)
        self._fill()
        return future


class _Deferred:
    """A future that runs when asked (the sequential loader)."""

    def __init__(self, fn):
        self.fn = fn

    def result(self):
        return self.fn()


# --------------------------------------------------------------------------- frames

def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _load(con, frame: Frame, catalogue) -> tuple[pd.DataFrame, str | None, dict[str, str]]:
    """The frame's data; an error that makes the whole frame unusable; per-rule errors."""
    if frame.kind == "codebook":
        return _codebook_frame(con, frame, catalogue)
    if frame.kind == "rules":
        return _rules_frame(con, frame)
    table = frame.table
    if table not in catalogue:
        return pd.DataFrame(), f"table {table} does not exist", {}
    columns = catalogue[table]
    wanted = set().union(*(e.columns() for e in frame.expectations)) if frame.expectations else set()
    select = []
    for name in sorted(wanted):
        if name in frame.derived:
            select.append(f"{frame.derived[name]} AS {_quote(name)}")
        elif name in columns:
            # A list is pulled as its length: enough for nullness, cheap to hash and compare.
            expr = f"len({_quote(name)})" if columns[name].endswith("[]") else _quote(name)
            select.append(f"{expr} AS {_quote(name)}")
        elif name.endswith("_chars") and name[:-6] in columns and name[:-6] in LONG_TEXT:
            select.append(f"length(trim({_quote(name[:-6])})) AS {_quote(name)}")
        # else: a column the table lacks; its expectations fail in GE ("column not found"),
        # and the schema expectation names it.
    if not select:  # table-level expectations only (row count): one narrow column
        sql = f"SELECT 1 AS __row FROM {table}"
    else:
        sql = f"SELECT {', '.join(select)} FROM {table}"
    try:
        return _fetch(con, sql), None, {}
    except duckdb.Error as exc:
        return pd.DataFrame(), f"could not read {table}: {exc}", {}


def _codebook_frame(con, frame: Frame, catalogue) -> tuple[pd.DataFrame, str | None, dict[str, str]]:
    """One row per column of the suite's tables: "table.column TYPE", "table.column", and
    for a documented never-null column that has nulls, "table.column: N null rows"."""
    rows, error = _codebook_rows(con, frame, catalogue)
    if error is not None:
        return pd.DataFrame(), error, {}
    return pd.DataFrame(rows, columns=list(CODEBOOK_COLUMNS), dtype=object), None, {}


CODEBOOK_COLUMNS = ("column_type", "table_column", "null_rows")


def _codebook_rows(con, frame: Frame, catalogue) -> tuple[list[tuple], str | None]:
    """The codebook frame's rows (a few hundred: one per column), the nulls counted in DuckDB."""
    nulls: dict[tuple[str, str], int] = {}
    try:
        for table, cols in frame.never_null.items():
            present = [c for c in cols if c in catalogue.get(table, {})]
            if not present:
                continue
            sql = "SELECT " + ", ".join(f"count(*) FILTER (WHERE {_quote(c)} IS NULL)" for c in present) + f" FROM {table}"
            for c, n in zip(present, con.execute(sql).fetchone()):
                nulls[(table, c)] = n
    except duckdb.Error as exc:
        return [], f"could not count nulls: {exc}".splitlines()[0]
    rows = []
    for t in frame.catalogue_of:
        for c, ty in catalogue.get(t, {}).items():
            n = nulls.get((t, c), 0)
            rows.append((f"{t}.{c} {ty}", f"{t}.{c}", f"{t}.{c}: {n} null rows" if n else None))
    return rows, None


def _fetch(con, sql: str, params=None) -> pd.DataFrame:
    reader = con.execute(sql, params).arrow()
    table = reader.read_all() if hasattr(reader, "read_all") else reader
    df = table.to_pandas()
    # GE vectorises range checks only for int64 and float64 columns; DuckDB's INTEGER arrives
    # as int32 and would be compared value by value in Python (40x slower on the fact table).
    for name, dtype in df.dtypes.items():
        if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_extension_array_dtype(dtype) and dtype != "int64":
            df[name] = df[name].astype("int64")
        elif pd.api.types.is_float_dtype(dtype) and dtype != "float64":
            df[name] = df[name].astype("float64")
    return df


def _rules_frame(con, frame: Frame) -> tuple[pd.DataFrame, None, dict[str, str]]:
    """One column per rule, one row per violation: "col=value, ..." of the rule's row.

    The frame's ``attrs["by_symbol"]`` maps each violated rule to the resolutions its rows
    name (see :func:`rows_by_symbol`).
    """
    columns, by_symbol, errors = _rule_rows(con, frame)
    height = max((len(v) for v in columns.values()), default=0)
    data = {name: pd.Series(values + [None] * (height - len(values)), dtype=object) for name, values in columns.items()}
    out = pd.DataFrame(data, index=pd.RangeIndex(height))
    out.attrs["by_symbol"] = by_symbol
    return out, None, errors


def _rule_rows(con, frame: Frame) -> tuple[dict[str, list[str]], dict, dict[str, str]]:
    """Each rule's violating rows as text, by rule; the resolutions they name; errors.

    A rule's SQL returns only the rows that break it (none on a clean warehouse), so this
    is the size of the defects, never of a table."""
    columns: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    by_symbol: dict[str, dict[str, tuple[int, list[str]]] | None] = {}
    for rule in frame.rules:
        try:
            cur = con.execute(rule.sql)
            names = [d[0] for d in cur.description]
            rows = cur.fetchall()
        except duckdb.Error as exc:
            errors[f"rules.{rule.name}"] = f"rule SQL failed: {exc}".splitlines()[0]
            continue
        texts = [", ".join(f"{n}={_text(v)}" for n, v in zip(names, row)) for row in rows]
        columns[rule.name] = texts
        if rows:
            symbols = [row[names.index("symbol")] for row in rows] if "symbol" in names else None
            by_symbol[f"rules.{rule.name}"] = rows_by_symbol(symbols, texts)
    return columns, by_symbol, errors


def _resolve_lookups(con, frame: Frame) -> tuple[dict[str, dict], dict[str, str]]:
    """Expectation name -> kwargs with their Lookup values computed; errors by name."""
    out, errors = {}, {}
    for e in frame.expectations:
        if not any(isinstance(v, Lookup) for v in e.kwargs.values()):
            continue
        kwargs = dict(e.kwargs)
        for k, v in e.kwargs.items():
            if isinstance(v, Lookup):
                try:
                    rows = con.execute(v.sql).fetchall()
                    kwargs[k] = [r[0] for r in rows] if v.many else (rows[0][0] if rows else None)
                except duckdb.Error as exc:
                    errors[e.name] = f"lookup failed: {exc}".splitlines()[0]
                    kwargs[k] = [] if v.many else None
        out[e.name] = kwargs
    return out, errors
