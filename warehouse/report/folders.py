"""Where quality reports live: one folder per run, ``latest`` pointing at the newest.

``write_report(...)`` writes ``<reports>/<UTC timestamp>/quality.md`` and
``quality.html`` (warehouse/report/render.py) into a temporary folder, renames it into
place (``<stamp>-2``, ``-3``... when a folder of that second exists), points
``<reports>/latest`` at it (a symlink swapped in one rename, or ``latest.txt`` where
symlinks are not available) and keeps the last ``keep`` reports. The names, and finding the
newest report (``latest_report``), are in ``warehouse/published.py``, which readers import
without the report's writing side.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from pathlib import Path

import duckdb
import polars as pl

from warehouse.published import (  # noqa: F401  (the reading side, part of this module's API)
    LATEST,
    LATEST_POINTER,
    REPORT_HTML,
    REPORT_MD,
    ReportPaths,
    _report_dirs,
    latest_report,
)
from warehouse.report.quality import gather
from warehouse.report.render import render_html, render_markdown

KEEP = 20


def _point_latest(reports_dir: Path, name: str) -> None:
    """Swap reports_dir/latest to the folder `name` in one rename (or write latest.txt)."""
    link = reports_dir / LATEST
    tmp = reports_dir / f".{LATEST}.{uuid.uuid4().hex[:8]}"
    if link.is_dir() and not link.is_symlink():
        shutil.rmtree(link, ignore_errors=True)  # a copy of the folder (a data dir copied without links)
    try:
        os.symlink(name, tmp, target_is_directory=True)
        os.replace(tmp, link)
    except OSError:
        tmp.unlink(missing_ok=True)
        pointer_tmp = reports_dir / f".{LATEST_POINTER}.{uuid.uuid4().hex[:8]}"
        pointer_tmp.write_text(name + "\n", encoding="utf-8")
        os.replace(pointer_tmp, reports_dir / LATEST_POINTER)
        if link.is_symlink():
            link.unlink(missing_ok=True)
        return
    (reports_dir / LATEST_POINTER).unlink(missing_ok=True)


def _prune(reports_dir: Path, keep: int, current: Path) -> None:
    old = [p for p in _report_dirs(reports_dir) if p != current]
    for directory in old[: max(0, len(old) - (keep - 1))]:
        shutil.rmtree(directory, ignore_errors=True)


def write_report(con: duckdb.DuckDBPyConnection, reports_dir: Path, *, run: dict,
                 checks: dict[str, pl.DataFrame], suites: pl.DataFrame | None = None,
                 data_docs: Path | None = None, keep: int = KEEP,
                 now: dt.datetime | None = None) -> ReportPaths:
    """Write the quality report of a run and make it the latest; return where it is.

    con: the working warehouse (read only is enough); run: the build summary
    (orchestration.build: status, finished_at, sessions, seconds, checks, via ...);
    checks: structural check name -> violating rows (pipeline.run_checks, plus
    sessions_built); suites: Great Expectations results (suite, expectation, column,
    success, unexpected_count, blocking), None when they were not run; data_docs:
    the Data Docs index.html, linked from the report.
    """
    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    now = now or dt.datetime.now(dt.UTC)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    sections = gather(con, run=run, checks=checks, suites=suites, data_docs=data_docs, now=now)
    title = f"Quality report, {now:%Y-%m-%d %H:%M:%S} UTC"

    tmp = reports_dir / f".tmp-{stamp}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        (tmp / REPORT_MD).write_text(render_markdown(title, sections), encoding="utf-8")
        # Links (to the Data Docs) are relative to the report's folder, a sibling of tmp.
        (tmp / REPORT_HTML).write_text(render_html(title, sections, base=tmp), encoding="utf-8")
        name, n = stamp, 1
        while True:
            target = reports_dir / name
            if not target.exists():
                try:
                    os.rename(tmp, target)
                    break
                except OSError:
                    if not target.exists():
                        raise
            n += 1
            name = f"{stamp}-{n}"
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _point_latest(reports_dir, target.name)
    _prune(reports_dir, keep, target)
    return ReportPaths.at(target)
