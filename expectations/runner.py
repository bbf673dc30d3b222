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

Modules, by concern: this one runs the suites (:func:`run_suites`) and names the
resolutions behind a failure (``_attribute``); ``expectations.results`` holds what a run
returns (:class:`SuitesResult` and its parts, :func:`rows_by_symbol`), ``expectations.frames``
reads each frame from DuckDB ahead of GE, and ``expectations.ge`` wraps Great Expectations
(the ephemeral context, the Data Docs site, GE's results turned into outcomes). The names
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
from .frames import _catalogue, _Loader, _Prefetch, _resolve_lookups
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
