"""Run the quality suites against a DuckDB database with Great Expectations 1.x.

::

    import duckdb
    from expectations.runner import run_suites

    con = duckdb.connect("data/published/unga.duckdb", read_only=True)
    result = run_suites(con, data_docs_dir=Path("data/reports/data_docs"))
    result.blocking_failures      # [] when the snapshot may be published
    result.to_frame()             # one row per expectation, for ops.suite_result
    result.data_docs_index        # data_docs_dir/index.html

No Dagster here: the orchestration wraps :func:`run_suites` in asset checks.

What it does, per call:

1. reads the catalogue of the database ``con`` points at (``duckdb_columns()``) and skips
   the suites none of whose ``requires`` tables exist (the raw layer in the published
   snapshot, ops and the search table in the working warehouse), reporting them as skipped;
2. builds each suite's frames (:mod:`expectations.suites`, with the codebook's
   expectations generated) and pulls each frame from DuckDB through Arrow into pandas,
   only the columns its expectations read (long texts as their trimmed length), and runs
   each cross-table rule's SQL into the suite's rules frame;
3. validates every frame with GE in an in-memory (ephemeral) context: nothing is written
   in the working directory, no ``gx/`` folder;
4. with ``data_docs_dir``, builds GE's Data Docs site in ``data_docs_dir/gx`` and writes
   ``data_docs_dir/index.html``, a self-contained summary page (no network needed; GE's own
   pages load Bootstrap, jQuery and bootstrap-table from CDNs, and GE's index page lists
   nothing without them) that links each suite to GE's validation pages.

GE's logging, warnings and progress bars are silenced: a run prints nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

import duckdb
import pandas as pd
import polars as pl

from warehouse.codebook import load_codebook

from . import docs
from .spec import LONG_TEXT, Expect, Frame, Lookup, SuiteDef
from .suites import SUITE_NAMES, SUITES, get_suite, raw_specs

SAMPLE_SIZE = 5  # unexpected values kept per failed expectation
GX_SITE = "gx"  # GE's site, under data_docs_dir
DATASOURCE = "unga"
RUN_NAME = "unga-suites"

# Quiet GE: its loggers warn about things the runner handles (deprecations, empty batches).
logging.getLogger("great_expectations").setLevel(logging.ERROR)

FRAME_SCHEMA = {
    "suite": pl.Utf8,
    "expectation": pl.Utf8,
    "column": pl.Utf8,
    "success": pl.Boolean,
    "unexpected_count": pl.Int64,
    "blocking": pl.Boolean,
}
DETAIL_SCHEMA = {
    **FRAME_SCHEMA,
    "table": pl.Utf8,
    "expectation_type": pl.Utf8,
    "description": pl.Utf8,
    "unexpected_sample": pl.List(pl.Utf8),
    "error": pl.Utf8,
}


# ----------------------------------------------------------------------------- results

@dataclass
class ExpectationOutcome:
    """One expectation's result."""

    suite: str
    name: str                    # stable id, e.g. "core.fact_paragraph.kind.in_codebook_values"
    table: str                   # the frame: a table, "schema" or "rules"
    column: str | None
    expectation_type: str        # GE's snake_case type, e.g. "expect_column_values_to_be_in_set"
    description: str             # why the expectation holds
    success: bool
    unexpected_count: int | None  # rows (or values) that broke it; None when not a count
    unexpected_sample: list[str]  # up to SAMPLE_SIZE offending values, as text
    error: str | None = None      # when it could not be evaluated (missing table, column, bad SQL)
    # The resolutions the failing rows belong to: symbol -> (rows, a few of them as text).
    # None when the failure cannot be pinned on resolutions (a table without a symbol, a
    # row-count or schema expectation, a rule row whose symbol is null): such a failure is
    # systemic and blocks the snapshot; a failure naming resolutions holds them back.
    by_symbol: dict[str, tuple[int, list[str]]] | None = None

    def short(self) -> str:
        """One line: the name, the count and a few offending values."""
        what = self.error or (f"{self.unexpected_count} unexpected" if self.unexpected_count is not None else "failed")
        sample = f": {' | '.join(self.unexpected_sample[:3])}" if self.unexpected_sample and not self.error else ""
        return f"{self.name} ({what}{sample})"


@dataclass
class SuiteOutcome:
    """One suite's result."""

    name: str
    blocking: bool
    description: str
    skipped: bool
    skip_reason: str | None
    success: bool | None          # None when skipped
    evaluated: int
    successful: int
    unsuccessful: int
    seconds: float
    expectations: list[ExpectationOutcome] = field(default_factory=list)
    data_docs_pages: list[Path] = field(default_factory=list)  # GE's validation pages, one per frame

    @property
    def failures(self) -> list[ExpectationOutcome]:
        """The failed expectations, each with its description and a sample of unexpected values."""
        return [e for e in self.expectations if not e.success]

    def to_dict(self) -> dict:
        """JSON-ready (for asset check metadata or a report)."""
        out = asdict(self)
        out["expectations"] = [asdict(e) for e in self.failures]  # failures only: keep it small
        out["data_docs_pages"] = [str(p) for p in self.data_docs_pages]
        return out


@dataclass
class SuitesResult:
    """The result of :func:`run_suites`."""

    suites: list[SuiteOutcome]
    seconds: float
    database: str
    run_time: dt.datetime
    data_docs_index: Path | None = None  # data_docs_dir/index.html (works offline)
    gx_index: Path | None = None          # GE's own index.html (needs its CDN assets to list anything)

    @property
    def success(self) -> bool:
        """True when no blocking suite failed (skipped suites do not fail)."""
        return not self.blocking_failures

    @property
    def blocking_failures(self) -> list[str]:
        """Names of the blocking suites that failed: publication must stop when not empty."""
        return [s.name for s in self.suites if s.blocking and s.success is False]

    @property
    def warning_failures(self) -> list[str]:
        return [s.name for s in self.suites if not s.blocking and s.success is False]

    @property
    def skipped(self) -> list[str]:
        return [s.name for s in self.suites if s.skipped]

    def suite(self, name: str) -> SuiteOutcome:
        for s in self.suites:
            if s.name == name:
                return s
        raise KeyError(f"no suite {name!r} in this result")

    def failures(self, blocking_only: bool = False) -> list[ExpectationOutcome]:
        return [e for s in self.suites if (s.blocking or not blocking_only) for e in s.failures]

    def to_frame(self, details: bool = False) -> pl.DataFrame:
        """One row per evaluated expectation: suite, expectation, column, success,
        unexpected_count, blocking (the columns of ops.suite_result). ``details=True`` adds
        table, expectation_type, description, unexpected_sample and error. Skipped suites
        have no rows (see :attr:`skipped`)."""
        rows = []
        for s in self.suites:
            for e in s.expectations:
                row = {"suite": s.name, "expectation": e.name, "column": e.column, "success": e.success,
                       "unexpected_count": e.unexpected_count, "blocking": s.blocking}
                if details:
                    row.update(table=e.table, expectation_type=e.expectation_type, description=e.description,
                               unexpected_sample=list(e.unexpected_sample), error=e.error)
                rows.append(row)
        return pl.DataFrame(rows, schema=DETAIL_SCHEMA if details else FRAME_SCHEMA, orient="row")

    @classmethod
    def from_frame(cls, frame: pl.DataFrame, database: str, run_time: dt.datetime) -> "SuitesResult":
        """Rebuild a result from its ops.suite_result rows (as :meth:`to_frame` wrote them).

        Used when a snapshot is kept because nothing changed: its checks report the
        results of the validation that published it. Descriptions come from the suites;
        samples, errors and timings were not stored and are empty.
        """
        outcomes = []
        for name in SUITE_NAMES:
            rows = frame.filter(pl.col("suite") == name)
            suite = get_suite(name)
            if rows.height == 0:
                outcomes.append(SuiteOutcome(name, suite.blocking, suite.description, True,
                                             "skipped when the snapshot was published", None, 0, 0, 0, 0.0))
                continue
            expectations = [ExpectationOutcome(name, r["expectation"], "", r["column"], "", "", bool(r["success"]),
                                               r["unexpected_count"], [])
                            for r in rows.iter_rows(named=True)]
            ok = sum(e.success for e in expectations)
            outcomes.append(SuiteOutcome(name, suite.blocking, suite.description, False, None,
                                         ok == len(expectations), len(expectations), ok, len(expectations) - ok,
                                         0.0, expectations))
        return cls(outcomes, 0.0, database, run_time)

    def summary(self) -> str:
        """A few lines for a log: each suite's status, then the failed expectations."""
        lines = []
        for s in self.suites:
            if s.skipped:
                lines.append(f"{s.name}: skipped ({s.skip_reason})")
                continue
            status = "passed" if s.success else ("FAILED" if s.blocking else "failed (warning only)")
            lines.append(f"{s.name}: {status}, {s.successful}/{s.evaluated} expectations, {s.seconds:.2f}s")
            lines += [f"  - {e.short()}" for e in s.failures]
        return "\n".join(lines)


# ------------------------------------------------------------------------------ runner

def run_suites(con: duckdb.DuckDBPyConnection, *, suites: Iterable[str] | None = None,
               data_docs_dir: Path | str | None = None, codebook: dict | None = None,
               today: dt.date | None = None, workers: int = 2) -> SuitesResult:
    """Validate the database ``con`` points at with the named suites (default: all).

    ``con`` may be read-only; nothing is written to the database. Suites whose
    required tables are all absent are skipped. With ``data_docs_dir``, GE's Data Docs site
    is built in ``data_docs_dir/gx`` and a self-contained summary written to
    ``data_docs_dir/index.html`` (suites run by earlier calls stay listed with their last
    result, so running suites one call at a time also gives one page). ``codebook``
    defaults to warehouse/codebook.yaml, ``today`` (for year ranges) to the current date.

    ``workers`` threads read the frames from DuckDB (each through its own cursor of
    ``con``) while GE validates the frames already read; 0 reads them one after the other
    on ``con`` itself. Cursors see committed data only: call this outside a transaction
    that holds uncommitted writes, or pass ``workers=0``.
    """
    started = time.perf_counter()
    run_time = dt.datetime.now(dt.timezone.utc)
    if codebook is None:
        codebook = load_codebook()
    today = today or dt.date.today()
    defs = [get_suite(n) for n in _names(suites)]
    extra = raw_specs(codebook)
    catalogue = _catalogue(con)

    plans: list[tuple[SuiteDef, list[Frame] | None, str | None]] = []
    for suite in defs:
        if suite.requires and not any(t in catalogue for t in suite.requires):
            plans.append((suite, None, f"none of {', '.join(suite.requires)} in this database"))
        else:
            plans.append((suite, suite.build(codebook, today, extra), None))

    gx_env = _GX(Path(data_docs_dir) / GX_SITE if data_docs_dir is not None else None, run_time)
    loader = _Loader(con, catalogue, workers)
    try:
        pending = _Prefetch(loader, [f for _, frames, _ in plans for f in (frames or [])], ahead=max(1, workers))
        outcomes = []
        for suite, frames, skip in plans:
            t0 = time.perf_counter()
            if frames is None:
                outcomes.append(SuiteOutcome(suite.name, suite.blocking, suite.description, True, skip, None,
                                             0, 0, 0, 0.0))
                continue
            outcomes.append(_run_suite(con, suite, frames, pending, gx_env, t0))
    finally:
        loader.close()

    result = SuitesResult(outcomes, 0.0, _database_name(con), run_time)
    if data_docs_dir is not None:
        root = Path(data_docs_dir)
        gx_env.build_docs(outcomes)
        result.gx_index = root / GX_SITE / "index.html"
        result.data_docs_index = docs.write_index(root, result)
    result.seconds = time.perf_counter() - started
    return result


def _names(suites: Iterable[str] | None) -> list[str]:
    if suites is None:
        return [s.name for s in SUITES]
    if isinstance(suites, str):
        suites = [suites]
    names = list(dict.fromkeys(suites))
    for n in names:
        get_suite(n)  # KeyError naming the known suites
    return names


def _database_name(con) -> str:
    try:
        row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
        return row[0] or ":memory:"
    except duckdb.Error:
        return "?"


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


def _run_suite(con, suite: SuiteDef, frames: list[Frame], pending: "_Prefetch", gx_env: "_GX",
               t0: float) -> SuiteOutcome:
    expectations: list[ExpectationOutcome] = []
    pages: list[Path] = []
    for frame in frames:
        data, frame_error, rule_errors = pending.pop(id(frame)).result()
        lookups, lookup_errors = _resolve_lookups(con, frame)
        gx_results, page_dir = gx_env.validate(suite, frame, data, lookups)
        if page_dir is not None:
            pages.append(page_dir)
        by_name = {r.expectation_config.meta.get("name"): r for r in gx_results}
        outcomes = []
        for e in frame.expectations:
            error = frame_error or rule_errors.get(e.name) or lookup_errors.get(e.name)
            outcomes.append(_outcome(suite.name, frame, e, by_name.get(e.name), error))
        _attribute(con, suite, frame, data, outcomes, lookups, gx_env)
        expectations.extend(outcomes)
    failed = sum(not e.success for e in expectations)
    return SuiteOutcome(suite.name, suite.blocking, suite.description, False, None, failed == 0,
                        len(expectations), len(expectations) - failed, failed, time.perf_counter() - t0,
                        expectations, pages)


def _attribute(con, suite: SuiteDef, frame: Frame, data: pd.DataFrame, outcomes: list[ExpectationOutcome],
               lookups: dict[str, dict], gx_env: "_GX") -> None:
    """Name the resolutions behind each failed expectation (``by_symbol``), where the rows can.

    Rules carry their rows' symbols from the SQL. A column expectation on a table with a
    ``symbol`` column is validated again, only when it failed, with GE's COMPLETE result
    and the symbol as the index column, over the same rows: the extra read costs nothing on
    a clean run. Codebook (schema) frames and table-level expectations name no resolution.
    """
    failed = [o for o in outcomes if not o.success and o.error is None]
    if not failed:
        return
    if frame.kind == "rules":
        found = data.attrs.get("by_symbol", {})
        for o in failed:
            o.by_symbol = found.get(o.name)
        return
    if frame.kind != "table" or frame.table is None:
        return
    try:
        symbols = con.execute(f"SELECT symbol FROM {frame.table}").arrow()
        symbols = (symbols.read_all() if hasattr(symbols, "read_all") else symbols).column(0).to_pylist()
    except duckdb.Error:  # no symbol column: the failure names no resolution
        return
    if len(symbols) != len(data):  # the table changed under us: do not guess
        return
    keyed = data.copy()
    keyed["__symbol"] = symbols
    wanted = {o.name for o in failed}
    results = gx_env.validate_rows(suite, frame, keyed, lookups, wanted)
    for o in failed:
        rows = results.get(o.name)
        if rows is None:
            continue
        texts = [", ".join(f"{k}={_text(v)}" for k, v in row.items() if k != "__symbol") for row in rows]
        o.by_symbol = rows_by_symbol([row.get("__symbol") for row in rows], texts)


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
        return pd.DataFrame(), f"could not count nulls: {exc}".splitlines()[0], {}
    rows = []
    for t in frame.catalogue_of:
        for c, ty in catalogue.get(t, {}).items():
            n = nulls.get((t, c), 0)
            rows.append((f"{t}.{c} {ty}", f"{t}.{c}", f"{t}.{c}: {n} null rows" if n else None))
    return pd.DataFrame(rows, columns=["column_type", "table_column", "null_rows"], dtype=object), None, {}


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
    height = max((len(v) for v in columns.values()), default=0)
    data = {name: pd.Series(values + [None] * (height - len(values)), dtype=object) for name, values in columns.items()}
    out = pd.DataFrame(data, index=pd.RangeIndex(height))
    out.attrs["by_symbol"] = by_symbol
    return out, None, errors


def rows_by_symbol(symbols: list | None, texts: list[str]) -> dict[str, tuple[int, list[str]]] | None:
    """symbol -> (failing rows, the first SAMPLE_SIZE as text); None unless every row names one.

    A rule's rows name a resolution through a column called ``symbol``. One row without a
    symbol (a key shared by two resolutions, an aggregate that does not add up) makes the
    whole failure systemic: holding back some resolutions would not explain it.
    """
    if symbols is None or not symbols or any(s is None for s in symbols):
        return None
    out: dict[str, tuple[int, list[str]]] = {}
    for symbol, text in zip(symbols, texts):
        count, sample = out.get(symbol, (0, []))
        out[symbol] = (count + 1, sample + [text] if len(sample) < SAMPLE_SIZE else sample)
    return out


def _text(value) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT:
        return "null"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


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


# ------------------------------------------------------------------------------ outcomes

def _outcome(suite: str, frame: Frame, e: Expect, r, error: str | None) -> ExpectationOutcome:
    gx_type = _snake(e.gx_class)
    if r is None:
        return ExpectationOutcome(suite, e.name, frame.name, e.column, gx_type, e.description, False, None, [],
                                  error or "not evaluated")
    result = dict(r.result or {})
    exc = _exception(r)
    count = result.get("unexpected_count")
    sample = result.get("partial_unexpected_list")
    if sample is None and "partial_missing_list" in result:
        sample = result.get("partial_missing_list")
        count = result.get("missing_count", len(sample or []))
    if sample is None and e.gx_class in ("ExpectColumnDistinctValuesToEqualSet", "ExpectColumnDistinctValuesToContainSet"):
        observed = set(map(str, result.get("observed_value") or []))
        expected = set(map(str, (r.expectation_config.kwargs.get("value_set") or [])))
        extra = sorted(observed - expected)
        missing = sorted(expected - observed)
        sample = [f"unexpected {v}" for v in extra] + [f"missing {v}" for v in missing]
        count = len(sample)
    if sample is None and not r.success and "observed_value" in result:
        sample = [result.get("observed_value")]
    success = bool(r.success) and error is None and exc is None
    return ExpectationOutcome(
        suite, e.name, frame.name, e.column, gx_type, e.description, success,
        None if count is None else int(count),
        [_text(v) for v in (sample or [])][:SAMPLE_SIZE] if not success else [],
        error or exc)


def _exception(r) -> str | None:
    info = r.exception_info or {}
    if info.get("raised_exception"):
        return str(info.get("exception_message") or "raised an exception").splitlines()[0]
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message") or "raised an exception").splitlines()[0]
    return None


def _snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i:
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


# ------------------------------------------------------------------------------------ GE

class _GX:
    """An ephemeral GE context (in-memory stores, no files) and, given a directory, a
    local Data Docs site in it."""

    def __init__(self, site_dir: Path | None, run_time: dt.datetime):
        with _quiet():
            import great_expectations as gx  # deferred (and silenced): GE is slow to import; only suite runs need it
            from great_expectations.core.run_identifier import RunIdentifier
            from great_expectations.data_context.types.base import (
                DataContextConfig,
                InMemoryStoreBackendDefaults,
                ProgressBarsConfig,
            )

            sites = {}
            if site_dir is not None:
                site_dir.mkdir(parents=True, exist_ok=True)
                sites = {"local": {
                    "class_name": "SiteBuilder",
                    "show_how_to_buttons": False,
                    "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                                      "base_directory": str(site_dir.resolve())},
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                }}
            config = DataContextConfig(
                store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
                analytics_enabled=False,
                progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
                data_docs_sites=sites,
            )
            self.gx = gx
            self.context = gx.get_context(project_config=config, mode="ephemeral")
            self.datasource = self.context.data_sources.add_pandas(DATASOURCE)
            self.run_id = RunIdentifier(run_name=RUN_NAME, run_time=run_time)
            self.site_dir = site_dir
            self.validated: list[str] = []

    def validate(self, suite: SuiteDef, frame: Frame, data: pd.DataFrame, lookups: dict[str, dict]):
        """Validate one frame; its results and (with a site) the path of its page."""
        import great_expectations.expectations as gxe  # deferred: GE is slow to import

        name = f"{suite.name}.{frame.name}"
        with _quiet():
            gx_suite = self.gx.ExpectationSuite(
                name=name, meta={"suite": suite.name, "blocking": suite.blocking, "frame": frame.name,
                                 "notes": suite.description})
            for e in frame.expectations:
                kwargs = lookups.get(e.name, e.kwargs)
                cls = getattr(gxe, e.gx_class)
                extra: dict[str, Any] = {}
                if e.when is not None:
                    extra["row_condition"] = _condition(e.when)
                if not suite.blocking:
                    from great_expectations.expectations.metadata_types import FailureSeverity  # deferred: GE

                    extra["severity"] = FailureSeverity.WARNING
                gx_suite.add_expectation(cls(**kwargs, description=e.description,
                                             meta={"name": e.name, "suite": suite.name}, **extra))
            asset = self.datasource.add_dataframe_asset(name)
            batch_definition = asset.add_batch_definition_whole_dataframe("whole")
            result_format = {"result_format": "BASIC", "partial_unexpected_count": SAMPLE_SIZE * 4}
            if self.site_dir is None:
                # No Data Docs: validate the batch directly, storing nothing (faster).
                batch = batch_definition.get_batch(batch_parameters={"dataframe": data})
                result = batch.validate(gx_suite, result_format=result_format)
            else:
                # Data Docs: a validation definition stores the suite and its result for the site.
                gx_suite = self.context.suites.add(gx_suite)
                vd = self.context.validation_definitions.add(
                    self.gx.ValidationDefinition(name=name, data=batch_definition, suite=gx_suite))
                result = vd.run(batch_parameters={"dataframe": data}, run_id=self.run_id,
                                result_format=result_format)
        self.validated.append(name)
        return result.results, self._page_dir(name)

    def validate_rows(self, suite: SuiteDef, frame: Frame, data: pd.DataFrame, lookups: dict[str, dict],
                      names: set[str]) -> dict[str, list[dict]]:
        """The failing rows of the named expectations, each with its ``__symbol``.

        Validated in memory with GE's COMPLETE result format and ``__symbol`` as the index
        column; nothing is stored or added to the Data Docs. An expectation that returns no
        row list (a table-level one) is left out.
        """
        import great_expectations.expectations as gxe  # deferred: GE is slow to import

        name = f"{suite.name}.{frame.name}.rows"
        with _quiet():
            gx_suite = self.gx.ExpectationSuite(name=name)
            for e in frame.expectations:
                if e.name not in names:
                    continue
                extra: dict[str, Any] = {}
                if e.when is not None:
                    extra["row_condition"] = _condition(e.when)
                gx_suite.add_expectation(getattr(gxe, e.gx_class)(**lookups.get(e.name, e.kwargs),
                                                                  meta={"name": e.name}, **extra))
            asset = self.datasource.add_dataframe_asset(f"{name}.{len(self.validated)}")
            batch = asset.add_batch_definition_whole_dataframe("whole").get_batch(batch_parameters={"dataframe": data})
            result = batch.validate(gx_suite, result_format={
                "result_format": "COMPLETE", "unexpected_index_column_names": ["__symbol"],
                "return_unexpected_index_query": False})
        out = {}
        for r in result.results:
            rows = (r.result or {}).get("unexpected_index_list")
            if not r.success and isinstance(rows, list) and rows and isinstance(rows[0], dict):
                out[r.expectation_config.meta.get("name")] = rows
        return out

    def _page_dir(self, name: str) -> Path | None:
        """Where GE files this run's page of a suite: validations/<suite, split on dots>/<run
        name>/<run time>/<batch id>.html (the directory; the page is its one .html file)."""
        if self.site_dir is None:
            return None
        return self.site_dir.joinpath("validations", *name.split("."), *self.run_id.to_tuple())

    def build_docs(self, outcomes: list[SuiteOutcome]) -> None:
        if self.site_dir is None:
            return
        with _quiet():
            self.context.build_data_docs(site_names=["local"])
        self._prune()
        for s in outcomes:
            pages = []
            for d in s.data_docs_pages:  # directories until now
                pages += sorted(d.glob("*.html")) if d.is_dir() else []
            s.data_docs_pages = pages

    def _prune(self) -> None:
        """Keep one run per GE suite in the site: drop the pages of earlier runs of the
        suites validated now (GE would keep every run's page, but lists only this run's,
        its stores being in memory)."""
        run_name, run_time = self.run_id.to_tuple()
        for name in self.validated:
            run_dir = self.site_dir.joinpath("validations", *name.split("."), run_name)
            if not run_dir.is_dir():
                continue
            for child in run_dir.iterdir():
                if child.is_dir() and child.name != run_time:
                    shutil.rmtree(child, ignore_errors=True)


def _condition(when):
    from great_expectations.expectations.row_conditions import Column  # deferred: GE is slow to import

    col = Column(when.column)
    if when.op == "==":
        return col == when.value
    if when.op == "!=":
        return col != when.value
    if when.op == "in":
        return col.is_in(list(when.value))
    if when.op == "not in":
        return col.is_not_in(list(when.value))
    if when.op == "is null":
        return col.is_null()
    return col.is_not_null()


class _quiet:
    """Silence GE while it works: warnings, its loggers, and any stray tqdm bar."""

    def __enter__(self):
        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        warnings.simplefilter("ignore")
        self._env = os.environ.get("TQDM_DISABLE")
        os.environ["TQDM_DISABLE"] = "1"
        return self

    def __exit__(self, *exc):
        if self._env is None:
            os.environ.pop("TQDM_DISABLE", None)
        else:
            os.environ["TQDM_DISABLE"] = self._env
        self._warnings.__exit__(*exc)
        return False
