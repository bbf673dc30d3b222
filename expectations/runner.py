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
   expectations generated) and evaluates each frame's expectations as SQL in DuckDB
   (:mod:`expectations.sqlcheck`): the frame's query (only the columns its expectations
   read, long texts as their trimmed length) with the expectations on top, their counts in
   one scan, and only the unexpected values GE would list and the failing rows' symbols
   read out; each cross-table rule's SQL returns its violating rows;
3. hands the results to GE as its own result objects (one GE context per call, in memory:
   nothing is written in the working directory, no ``gx/`` folder), so the Data Docs are
   GE's pages. ``engine="pandas"`` instead reads each frame into pandas and validates it
   with GE's pandas engine: the previous engine, kept to show that both agree
   (tests/test_expectations_sql.py). Measured on sessions 74-79 (benchmarks/suites_engines.py,
   benchmarks/RESULTS.md): see "Quality suites: SQL against pandas".
4. with ``data_docs_dir``, builds GE's Data Docs site in ``data_docs_dir/gx`` and writes
   ``data_docs_dir/index.html``, a self-contained summary page (no network needed; GE's own
   pages load Bootstrap, jQuery and bootstrap-table from CDNs, and GE's index page lists
   nothing without them) that links each suite to GE's validation pages.

The whole snapshot is still validated on every publication, not only the sessions that
changed. Measured in SQL on sessions 74-79 (2 cores shared by four builds, load average
8-9, so slow and noisy): core.fact_paragraph's frame (85k paragraphs, 21 expectations)
0.7-1.6 s, of which 0.8 s is reading every paragraph's text for its trimmed length (0.16 s
for session 79 alone); all 54 table frames 2.6-5.9 s; the suites on the snapshot 6.3 s
without Data Docs, 12 s with them (GE renders its pages), the cross-table rules (which a
session filter could not narrow) and the page rendering being the larger part. That is not
"well under a second", so a session filter for the frames with a session column, carrying
over the results of unchanged sessions, would pay on the table frames; it is not built yet
(a carried result must be dropped whenever anything it depends on changes: the codebook,
a lookup's dimension, the suite's code).

GE's logging, warnings and progress bars are silenced: a run prints nothing.

Modules, by concern: this one runs the suites (:func:`run_suites`) and names the
resolutions behind a failure (``_attribute``); ``expectations.results`` holds what a run
returns (:class:`SuitesResult` and its parts, :func:`rows_by_symbol`), ``expectations.sqlcheck``
evaluates the expectations in SQL, ``expectations.frames`` reads the codebook and rules frames
(and, for the pandas engine, each frame ahead of GE), and ``expectations.ge`` wraps Great
Expectations (the ephemeral context, SQL results as GE's results, the Data Docs site, GE's
results turned into outcomes). The names
of ``results`` are importable from here too.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Iterable

import duckdb
import pandas as pd

from warehouse.codebook import load_codebook

from . import docs
from . import sqlcheck
from .frames import CODEBOOK_COLUMNS, _catalogue, _codebook_rows, _Loader, _Prefetch, _resolve_lookups, _rule_rows
from .ge import _GX, _outcome
from .results import (  # noqa: F401  (the results are part of this module's API)
    DETAIL_SCHEMA,
    FRAME_SCHEMA,
    SAMPLE_SIZE,
    ExpectationOutcome,
    SuiteOutcome,
    SuitesResult,
    _text,
    rows_by_symbol,
)
from .spec import Frame, SuiteDef
from .suites import SUITES, get_suite, raw_specs

GX_SITE = "gx"  # GE's site, under data_docs_dir


# ------------------------------------------------------------------------------ runner

def run_suites(con: duckdb.DuckDBPyConnection, *, suites: Iterable[str] | None = None,
               data_docs_dir: Path | str | None = None, codebook: dict | None = None,
               today: dt.date | None = None, workers: int = 2, engine: str = "sql",
               context: "_GX | None" = None, build_docs: bool = True,
               earlier: SuitesResult | None = None) -> SuitesResult:
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

    ``engine`` is "sql" (the default: every expectation evaluated as SQL in DuckDB by
    :mod:`expectations.sqlcheck`, GE given the results to render; no frame leaves DuckDB
    whole; ``workers`` threads run the cross-table rules' SQL, each on its own cursor,
    while the table frames are evaluated on another) or "pandas" (each frame read into pandas
    and validated by GE's pandas engine: the previous engine, kept to check that both agree,
    tests/test_expectations_sql.py).

    ``context`` (from :func:`gx_context`) is a GE context to validate in, shared by the calls
    of one publication so that GE is set up once and its site built once: the first call
    passes ``build_docs=False``, the last one ``earlier=`` the first one's result, whose
    pages are then built with its own and whose entry in the summary keeps its database.
    """
    if engine not in ("sql", "pandas"):
        raise ValueError(f"unknown engine {engine!r}: 'sql' or 'pandas'")
    started = time.perf_counter()
    run_time = context.run_time if context is not None else dt.datetime.now(dt.timezone.utc)
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

    gx_env = context if context is not None else gx_context(data_docs_dir, run_time)
    outcomes = []
    if engine == "sql":
        # The rules' SQL (the heaviest queries: the raw suite hashes every document's bytes)
        # runs in worker threads, each on its own cursor, while the table frames are evaluated
        # on another; a rule returns only its violating rows, so nothing large is held.
        loader = _Loader(con, catalogue, workers)
        cur = _cursor(con) if workers > 0 else con
        try:
            ahead = {id(f): loader.call(lambda c, f=f: _rule_rows(c, f))
                     for _, frames, _ in plans for f in (frames or []) if f.kind == "rules"}
            for suite, frames, skip in plans:
                t0 = time.perf_counter()
                if frames is None:
                    outcomes.append(_skipped(suite, skip))
                    continue
                outcomes.append(_run_suite_sql(cur, suite, frames, catalogue, gx_env, t0, ahead))
        finally:
            loader.close()
            if cur is not con:
                cur.close()
    else:
        loader = _Loader(con, catalogue, workers)
        try:
            pending = _Prefetch(loader, [f for _, frames, _ in plans for f in (frames or [])], ahead=max(1, workers))
            for suite, frames, skip in plans:
                t0 = time.perf_counter()
                if frames is None:
                    outcomes.append(_skipped(suite, skip))
                    continue
                outcomes.append(_run_suite(con, suite, frames, pending, gx_env, t0))
        finally:
            loader.close()

    result = SuitesResult(outcomes, 0.0, _database_name(con), run_time)
    if data_docs_dir is not None and build_docs:
        root = Path(data_docs_dir)
        gx_env.build_docs(outcomes + (earlier.suites if earlier is not None else []))
        result.gx_index = root / GX_SITE / "index.html"
        if earlier is not None:
            earlier.gx_index = result.gx_index
            docs.write_index(root, earlier)
        result.data_docs_index = docs.write_index(root, result)
    result.seconds = time.perf_counter() - started
    return result


def gx_context(data_docs_dir: Path | str | None, run_time: dt.datetime | None = None) -> _GX:
    """A GE context for :func:`run_suites` (its Data Docs site under ``data_docs_dir/gx``)."""
    return _GX(Path(data_docs_dir) / GX_SITE if data_docs_dir is not None else None,
               run_time or dt.datetime.now(dt.timezone.utc))


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


def _skipped(suite: SuiteDef, reason: str | None) -> SuiteOutcome:
    return SuiteOutcome(suite.name, suite.blocking, suite.description, True, reason, None, 0, 0, 0, 0.0)


def _cursor(con):
    cur = con.cursor()
    try:  # a long rule query must not draw DuckDB's progress bar on the terminal
        cur.execute("SET enable_progress_bar = false")
    except duckdb.Error:
        pass
    return cur


def _run_suite_sql(con, suite: SuiteDef, frames: list[Frame], catalogue, gx_env: "_GX", t0: float,
                   ahead: dict) -> SuiteOutcome:
    """A suite evaluated in SQL (:mod:`expectations.sqlcheck`), its results handed to GE."""
    expectations: list[ExpectationOutcome] = []
    pages: list[Path] = []
    for frame in frames:
        lookups, lookup_errors = _resolve_lookups(con, frame)
        evaluated, frame_error, rule_errors, source_sql = _evaluate(con, frame, catalogue, lookups, ahead)
        gx_results, page_dir = gx_env.record(suite, frame, lookups, evaluated, source_sql)
        if page_dir is not None:
            pages.append(page_dir)
        for e, r in zip(frame.expectations, gx_results):
            error = frame_error or rule_errors.get(e.name) or lookup_errors.get(e.name)
            o = _outcome(suite.name, frame, e, r, error)
            ev = evaluated.get(e.name)
            if not o.success and o.error is None and ev is not None:
                o.by_symbol = ev.by_symbol
            expectations.append(o)
    failed = sum(not e.success for e in expectations)
    return SuiteOutcome(suite.name, suite.blocking, suite.description, False, None, failed == 0,
                        len(expectations), len(expectations) - failed, failed, time.perf_counter() - t0,
                        expectations, pages)


def _evaluate(con, frame: Frame, catalogue, lookups, ahead: dict):
    """A frame's expectations evaluated in SQL: by name, the frame's error, per-rule errors,
    and the frame's SQL (shown as the batch in GE's page)."""
    if frame.kind == "rules":
        columns, by_symbol, errors = ahead.pop(id(frame)).result()
        return sqlcheck.rules_results(frame, columns, by_symbol), None, errors, "the rules' SQL"
    if frame.kind == "codebook":
        rows, error = _codebook_rows(con, frame, catalogue)
        if error is not None:
            return {}, error, {}, ""
        source = sqlcheck.values_source(list(CODEBOOK_COLUMNS), rows)
    else:
        source, error = sqlcheck.table_source(frame, catalogue)
        if error is not None:
            return {}, error, {}, ""
    try:
        return sqlcheck.evaluate_frame(con, source, frame, lookups), None, {}, source.sql
    except duckdb.Error as exc:
        return {}, f"could not read {frame.table or frame.name}: {exc}".splitlines()[0], {}, source.sql


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
