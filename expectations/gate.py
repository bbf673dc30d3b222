"""The publish gate: the Great Expectations suites judge a snapshot before it is published.

:func:`warehouse.publish.publish` writes the snapshot under a temporary name and moves it
into place only if the gate it is given passes it; the warehouse does not import the
suites. This module is that gate (:class:`SuitesGate`) and the publication with it:

* :func:`publish` -- ``warehouse.publish.publish`` gated by the suites (``quality=False``:
  no suites, no completeness tables, for tests on hand-made miniature warehouses);
* :func:`current_snapshot` -- the published snapshot if it is current, with the suites'
  verdict recorded in it;
* :func:`run_raw_suites`, :func:`validate_snapshot`, :func:`validate` -- the suites on the
  working warehouse (raw layer) and on the written file (the rest);
* :func:`warm_up` -- Great Expectations imported in the background while a build works.
"""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from pathlib import Path

import duckdb
import polars as pl

from expectations.runner import SuitesResult, gx_context, run_suites
from expectations.suites import SUITE_NAMES
from warehouse import db
from warehouse import publish as publication
from warehouse.publish import KeptSnapshot, Publication, PublishBlocked

__all__ = ["RAW_SUITES", "SuitesGate", "PublishBlocked", "Publication", "KeptSnapshot", "publish",
           "current_snapshot", "run_raw_suites", "validate_snapshot", "validate", "warm_up"]

RAW_SUITES = ("raw",)  # run on the working warehouse: the snapshot carries no raw layer
_WARMING: threading.Thread | None = None


def warm_up() -> None:
    """Import Great Expectations in a background thread, once per process.

    Importing GE takes seconds (it pulls in scipy, pandas, pydantic models of every
    expectation); the gate needs it only at publication, after the layers are built. A
    build that has work to do calls this first, so the import overlaps the parsing and
    extraction (which run in worker processes and in DuckDB, mostly outside the GIL) and
    publication finds the module loaded. Python's import lock makes a publication that
    comes first simply wait for the import; a failed import here is raised again, with its
    traceback, where the gate imports GE itself.
    """
    global _WARMING
    if _WARMING is None:
        _WARMING = threading.Thread(target=_import_quietly, name="warm-up-great-expectations", daemon=True)
        _WARMING.start()


def _import_quietly() -> None:
    # Not inside expectations.ge._quiet: it swaps the process's warning filters, which would
    # silence the build's own warnings for as long as this thread imports.
    try:
        importlib.import_module("great_expectations")
        importlib.import_module("great_expectations.expectations")
    except Exception:  # noqa: BLE001 -- the gate's own import reports it
        pass


class SuitesGate:
    """The suites as :class:`warehouse.publish.Gate`: raw on the warehouse, the rest on the file.

    One GE context per publication: made for the raw suite, reused for the rest, and its
    Data Docs site built once, at the end, with every suite's pages.
    """

    def __init__(self) -> None:
        self._context = None

    def on_warehouse(self, con: duckdb.DuckDBPyConnection, data_docs_dir: Path | None) -> SuitesResult:
        self._context = gx_context(data_docs_dir)
        return run_suites(con, suites=RAW_SUITES, data_docs_dir=data_docs_dir, context=self._context,
                          build_docs=False)

    def on_snapshot(self, snapshot_file: Path, before: SuitesResult, data_docs_dir: Path | None) -> SuitesResult:
        context, self._context = self._context, None
        return validate_snapshot(snapshot_file, before, data_docs_dir, context=context)

    def recorded(self, frame: pl.DataFrame, database: str, run_time: dt.datetime) -> SuitesResult:
        return SuitesResult.from_frame(frame, database, run_time)


def publish(con: duckdb.DuckDBPyConnection, snapshot: Path, check_results: dict[str, pl.DataFrame],
            build_info: dict, *, quality: bool = True, data_docs_dir: Path | None = None) -> Publication:
    """Write the snapshot if no check failed and, with ``quality``, no blocking suite failed.

    ``con`` is the working warehouse, with no transaction open. With ``quality`` (the
    default; off only for tests on hand-made miniature warehouses) the completeness tables
    are written into the snapshot and the suites validate it, building their Data Docs in
    ``data_docs_dir`` when given. Raises PublishBlocked, leaving the published snapshot and
    files as they were, when anything blocking failed.
    """
    return publication.publish(con, snapshot, check_results, build_info, quality=quality,
                               data_docs_dir=data_docs_dir, gate=SuitesGate() if quality else None)


def current_snapshot(snapshot: Path, state: str) -> KeptSnapshot | None:
    """The snapshot, if it was published from a warehouse in ``state`` (with its suites' result); else None."""
    return publication.current_snapshot(snapshot, state, gate=SuitesGate())


def validate(con: duckdb.DuckDBPyConnection, snapshot_file: Path, data_docs_dir: Path | None) -> SuitesResult:
    """Run the Great Expectations suites: raw on the working warehouse, the rest on the file.

    Validating the written file rather than the warehouse it was copied from means what
    passes is exactly what readers get, the search table and ops tables included. Both
    runs build into the same Data Docs site, so its index lists every suite.
    """
    return validate_snapshot(snapshot_file, run_raw_suites(con, data_docs_dir), data_docs_dir)


def run_raw_suites(con: duckdb.DuckDBPyConnection, data_docs_dir: Path | None) -> SuitesResult:
    """The suites of the raw layer, which only the working warehouse has."""
    return run_suites(con, suites=RAW_SUITES, data_docs_dir=data_docs_dir)


def validate_snapshot(snapshot_file: Path, raw: SuitesResult, data_docs_dir: Path | None,
                      context=None) -> SuitesResult:
    """Every other suite on the written file (read-only), joined with the raw suites' result.

    With the ``context`` the raw suites ran in (which then built no Data Docs), the site is
    built here with the raw suites' pages too.
    """
    snap = db.bound_memory(duckdb.connect(str(snapshot_file), read_only=True))
    try:
        rest = run_suites(snap, suites=[n for n in SUITE_NAMES if n not in RAW_SUITES], data_docs_dir=data_docs_dir,
                          context=context, earlier=raw if context is not None else None)
    finally:
        snap.close()
    return SuitesResult(raw.suites + rest.suites, raw.seconds + rest.seconds, rest.database, raw.run_time,
                        data_docs_index=rest.data_docs_index, gx_index=rest.gx_index)
