"""The queries behind the dashboard's pages, on the published snapshot only.

Every function here takes an open read-only connection and returns a Polars frame;
the SQL is in ``warehouse/sql/dashboard/`` with bound parameters. The Streamlit pages
never touch DuckDB: they call :func:`run` (through a cache keyed on the snapshot's
identity, see ``dashboards/ui.py``), which opens a connection for one query and closes
it again.

Why a connection per query, never one kept open: a build publishes by renaming a new
file over ``published/unga.duckdb``, and within one process DuckDB shares one database
per file path among all its connections, so while any connection to the snapshot stays
open a "new" ``duckdb.connect()`` joins the *old* database (docs/connect.md). So no
connection outlives a call of :func:`run`, and :data:`_LOCK` keeps the app's
connections from overlapping, so every connection opens the file that is published at
that moment and a browser refresh after a publish shows the new snapshot.
:class:`Snapshot` (inode, mtime, size) tells one published file from the next; the
page cache is keyed on it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from warehouse import db
from warehouse import search as fts
from warehouse.published import latest_report
from warehouse.settings import Paths
from warehouse.status import last_run as _last_run

NO_SNAPSHOT = "No published snapshot yet: run `make run` (or `unga build`)"
SQL = "dashboard/{}.sql"

# Instrument types, grouped as the citations page offers them.
NAMED_INSTRUMENT_TYPES = ("convention", "protocol", "standard", "declaration", "programme_of_action", "agenda")


class NoSnapshot(FileNotFoundError):
    """There is no published snapshot at the path (nothing was built yet)."""

    def __init__(self, path: Path | str):
        super().__init__(f"{NO_SNAPSHOT}. Looked for {path}.")
        self.path = Path(path)


@dataclass(frozen=True)
class Snapshot:
    """One published snapshot file: a publish renames a new file into place, so the
    inode (with mtime and size, in case an inode number is reused) changes."""

    path: str
    inode: int
    mtime_ns: int
    size: int

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.inode, self.mtime_ns, self.size)


def current_snapshot(paths: Paths) -> Snapshot | None:
    """The snapshot published now, or None when there is none yet."""
    return _stat(paths.snapshot)


def _stat(path: Path | str) -> Snapshot | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return Snapshot(str(path), st.st_ino, st.st_mtime_ns, st.st_size)


# One connection at a time in this process (see the module docstring). Reentrant, so a
# query function may call another on the same thread.
_LOCK = threading.RLock()


@contextmanager
def connect(snapshot_path: Path | str, *, search: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the snapshot for one batch of queries, closed on exit.

    ``search=True`` opens it through ``warehouse.search.open_search`` (fts loaded from the
    wheel). Either way external access is switched off: the connection reads the
    snapshot and nothing else.
    """
    path = Path(snapshot_path)
    with _LOCK:
        if not path.exists():
            raise NoSnapshot(path)
        if search:
            con = fts.open_search(path)
        else:
            con = duckdb.connect(str(path), read_only=True)
            con.execute("SET enable_external_access = false")
        try:
            yield con
        finally:
            con.close()


# ----------------------------------------------------------------------------- registry

@dataclass(frozen=True)
class Query:
    function: Callable[..., pl.DataFrame]
    search: bool = False


QUERIES: dict[str, Query] = {}

# Wall-clock seconds of the last uncached run of each query (for the status page).
TIMINGS: dict[str, float] = {}


def query(search: bool = False):
    """Register a query function under its name, for :func:`run`."""

    def register(function):
        QUERIES[function.__name__] = Query(function, search)
        return function

    return register


def run(snapshot_path: Path | str, name: str, **params) -> pl.DataFrame:
    """Open the snapshot, run the registered query ``name`` with ``params``, close."""
    q = QUERIES[name]
    started = time.perf_counter()
    with connect(snapshot_path, search=q.search) as con:
        frame = q.function(con, **params)
    TIMINGS[name] = time.perf_counter() - started
    return frame


def _q(con: duckdb.DuckDBPyConnection, name: str, **params) -> pl.DataFrame:
    return db.query_file(con, SQL.format(name), params)


# The periods a trend is counted by: GA sessions (the default, the unit the Assembly works
# in) or calendar years (which cut sessions in two).
PERIOD_TYPES = ("session", "year")


def _period_type(period_type: str) -> str:
    if period_type not in PERIOD_TYPES:
        raise ValueError(f"period_type must be one of {PERIOD_TYPES}, not {period_type!r}")
    return period_type


# ------------------------------------------------------------------------------ periods

@query()
def periods(con, *, period_type: str = "session") -> pl.DataFrame:
    """marts.period_coverage for one kind of period: label, coverage, is_complete,
    is_partial (partial in time: what the charts mark) and partial_reason in words."""
    return _q(con, "periods", period_type=_period_type(period_type))


# ------------------------------------------------------------------ environmental crime

@query()
def env_crime_trend(con, *, period_type: str = "session") -> pl.DataFrame:
    """Environmental crime and its sub-themes per GA session or calendar year
    (``period``), each row with its period's label and coverage (is_partial, partial_reason)."""
    return _q(con, "env_crime_trend", period_type=_period_type(period_type))


@query()
def env_crime_resolutions(con, *, period: int, theme: str, period_type: str = "session") -> pl.DataFrame:
    """The resolutions behind one point of the environmental-crime trend."""
    return _q(con, "env_crime_resolutions", period_type=_period_type(period_type), period=int(period),
              theme=str(theme))


# ------------------------------------------------------------------------------- themes

@query()
def themes(con) -> pl.DataFrame:
    """core.dim_theme in picker order, with paragraphs per theme."""
    return _q(con, "themes")


@query()
def theme_trend(con, *, themes: list[str] | tuple[str, ...], period_type: str = "session") -> pl.DataFrame:
    """Themes per GA session or calendar year (``period``): paragraphs preambular and
    operative, mentions, shares, and the period's coverage (is_partial, partial_reason)."""
    return _q(con, "theme_trend", themes=[str(t) for t in themes], period_type=_period_type(period_type))


@query()
def theme_verbs(con, *, themes: list[str] | tuple[str, ...], top: int = 8) -> pl.DataFrame:
    """The operative verbs most used with each theme over the period."""
    return _q(con, "theme_verbs", themes=[str(t) for t in themes], top=int(top))


# ------------------------------------------------------------------------------- search

@query()
def search_years(con) -> pl.DataFrame:
    return _q(con, "search_years")


@query()
def search_verbs(con) -> pl.DataFrame:
    return _q(con, "search_verbs")


@query(search=True)
def search_paragraphs(con, *, query: str, year: int | None = None, theme: str | None = None,
                      kind: str | None = None, verb: str | None = None, limit: int = 100,
                      per_resolution: int | None = fts.PER_RESOLUTION) -> pl.DataFrame:
    """``warehouse.search.search`` with the matched words' offsets in each hit's text.

    Adds ``spans``, a list of [start, end] offsets into ``text`` (from
    ``warehouse.search.highlight_spans``, so exactly the words BM25 matched), and
    ``paragraph``, the label "op 5" / "pre 3". At most ``per_resolution`` paragraphs of any
    one resolution (0 or None: all); every row carries the totals (``fts.totals``). Raises
    ValueError for an empty query or an unknown theme, as ``search`` does.
    """
    hits = fts.search(con, query, year=year, theme=theme, kind=kind, verb=verb, limit=int(limit),
                      per_resolution=None if per_resolution is None else int(per_resolution))
    texts = [t or "" for t in hits["text"].to_list()]
    spans = _spans_per_text(texts, query, con)
    labels = [fts.paragraph_label(k, n, o) for k, n, o in
              zip(hits["kind"].to_list(), hits["number"].to_list(), hits["ordinal"].to_list())]
    return hits.with_columns(
        pl.Series("paragraph", labels, dtype=pl.String),
        pl.Series("spans", spans, dtype=pl.List(pl.List(pl.Int64))),
    )


def _spans_per_text(texts: list[str], query: str, con) -> list[list[list[int]]]:
    """highlight_spans over all texts in one round trip: the texts are joined with a
    newline (never part of a word), and the offsets cut back per text."""
    if not texts:
        return []
    joined = "\n".join(texts)
    found = fts.highlight_spans(joined, query, con)
    out: list[list[list[int]]] = []
    start, i = 0, 0
    for text in texts:
        end = start + len(text)
        mine = []
        while i < len(found) and found[i][0] < end:
            s, e = found[i]
            if s >= start:
                mine.append([s - start, e - start])
            i += 1
        out.append(mine)
        start = end + 1
    return out


# ------------------------------------------------------------------------------ lineage

@query()
def series_list(con) -> pl.DataFrame:
    """Every series of recurring resolutions, with its adoptions and changes."""
    return _q(con, "series_list")


@query()
def series_of_symbol(con, *, symbol: str) -> pl.DataFrame:
    return _q(con, "series_of_symbol", symbol=" ".join(str(symbol).upper().split()))


@query()
def series_adoptions(con, *, series_id: str) -> pl.DataFrame:
    return _q(con, "series_adoptions", series_id=str(series_id))


@query()
def lineage_step(con, *, symbol: str) -> pl.DataFrame:
    """The paragraphs of ``symbol`` against its predecessor: new, changed, unchanged and
    dropped, in document order, with both texts (``text``, ``predecessor_text``) and, for a
    changed paragraph, the mart's word diff (``diff``)."""
    return _q(con, "lineage_step", symbol=" ".join(str(symbol).upper().split()))


# ----------------------------------------------------------------------------- mandates

@query()
def mandates_by_entity_period(con, *, period_type: str = "session") -> pl.DataFrame:
    """Mandates per entity and GA session or calendar year (``period``), with each
    entity's total and the period's coverage (is_partial, partial_reason)."""
    return _q(con, "mandates_by_entity_period", period_type=_period_type(period_type))


@query()
def mandates(con, *, actor_id: str | None = None, period: int | None = None, period_type: str = "session",
             reports_only: bool = False, limit: int = 500) -> pl.DataFrame:
    """The mandates of one entity (or all), in one GA session or calendar year (or any)."""
    return _q(con, "mandates", actor_id=actor_id, period=None if period is None else int(period),
              period_type=_period_type(period_type), reports_only=bool(reports_only), limit=int(limit))


# ---------------------------------------------------------------------------- citations

@query()
def instrument_types(con) -> pl.DataFrame:
    return _q(con, "instrument_types")


@query()
def citation_trend(con, *, types: list[str] | tuple[str, ...] | None = None, top: int = 10,
                   period_type: str = "session") -> pl.DataFrame:
    """The ``top`` most cited instruments per GA session or calendar year (``period``),
    every period shown, with the period's coverage (is_partial, partial_reason)."""
    return _q(con, "citation_trend", types=None if types is None else [str(t) for t in types], top=int(top),
              period_type=_period_type(period_type))


@query()
def citation_span(con, *, types: list[str] | tuple[str, ...] | None = None, limit: int = 200) -> pl.DataFrame:
    return _q(con, "citation_span", types=None if types is None else [str(t) for t in types], limit=int(limit))


@query()
def citing_resolutions(con, *, instrument_id: str, period: int, period_type: str = "session") -> pl.DataFrame:
    """The resolutions of one GA session or calendar year citing ``instrument_id``."""
    return _q(con, "citing_resolutions", instrument_id=str(instrument_id), period=int(period),
              period_type=_period_type(period_type))


# ------------------------------------------------------------------------------- status

@query()
def status_sessions(con) -> pl.DataFrame:
    return _q(con, "status_sessions")


@query()
def build_info(con) -> pl.DataFrame:
    return _q(con, "status_build")


@query()
def check_results(con) -> pl.DataFrame:
    return _q(con, "status_checks")


@query()
def rejected(con) -> pl.DataFrame:
    return _q(con, "status_rejected")


@query()
def ops_tables(con) -> pl.DataFrame:
    return _q(con, "status_ops_tables")


# Tables newer builds publish in ops (issue 6); the page shows them only when present.
OPTIONAL_OPS = {"suite_result": "status_suite_result", "completeness": "status_completeness"}


@query()
def optional_ops(con, *, table: str) -> pl.DataFrame | None:
    """ops.suite_result or ops.completeness, or None when the snapshot has no such table."""
    if table not in OPTIONAL_OPS:
        raise ValueError(f"not an optional ops table: {table!r}")
    present = set(_q(con, "status_ops_tables")["table_name"].to_list())
    return _q(con, OPTIONAL_OPS[table]) if table in present else None


def quality_report(paths: Paths) -> Path | None:
    """The latest quality report's HTML (``<data-dir>/reports/latest/quality.html``), or None."""
    try:
        found = latest_report(paths.reports)
    except OSError:
        found = None
    if found is not None and found.html.is_file():
        return found.html
    candidate = paths.reports / "latest" / "quality.html"
    return candidate if candidate.is_file() else None


def last_run(paths: Paths) -> dict | None:
    """The last line of ``runs.jsonl`` (the last `unga build`), or None."""
    try:
        return _last_run(paths)
    except (OSError, ValueError):
        return None
