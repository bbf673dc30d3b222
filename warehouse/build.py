"""A whole build without Dagster: every landed session, the checks, the snapshot.

Dagster's assets call the same functions one partition at a time; this module
is for ``unga build --no-dagster``, the tests and the benchmark, which compares
the two to show Dagster's overhead.
"""

from __future__ import annotations

import json
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from transforms import extract, parallel
from transforms.discover import scan_landing
from warehouse import pipeline
from warehouse.publish import PublishBlocked, current_snapshot, publish, remove_stale_temporaries
from warehouse.report import ReportPaths, write_report
from warehouse.settings import Paths

DATA_DOCS = "data_docs"  # under <data-dir>/reports


@dataclass
class PublishOutcome:
    """What publish_and_report did: published or blocked, and where the results are."""

    status: str  # "published" or "blocked"
    counts: dict[str, int]
    message: str
    failures: dict[str, pl.DataFrame]
    suites: object | None  # expectations.runner.SuitesResult, when the suites ran
    report: ReportPaths | None
    unchanged: bool = False  # published earlier from the same warehouse state: kept, not rewritten

    @property
    def data_docs(self) -> Path | None:
        return getattr(self.suites, "data_docs_index", None)

    def suites_summary(self) -> dict:
        if self.suites is None:
            return {}
        return {"blocking_failures": self.suites.blocking_failures,
                "warning_failures": self.suites.warning_failures,
                "seconds": round(self.suites.seconds, 2),
                "data_docs": str(self.data_docs) if self.data_docs else None}


def publish_and_report(con, paths: Paths, checks: dict[str, pl.DataFrame], info: dict, run: dict,
                       say: Callable[[str], None] = lambda _m: None, force: bool = False) -> PublishOutcome:
    """Publish the snapshot (checks, then suites on the written file) and write the quality report.

    Shared by ``unga build`` and the Dagster snapshot asset so both gate and report alike.
    When the published snapshot was written from a warehouse in the same state as now
    (pipeline.warehouse_state) and no check fails, it is kept as it is: writing it again
    would give the same file and cost the search index, the suites and the exports (about
    20 s). ``force`` writes it anyway. The report is written whether the snapshot was
    published, kept or blocked; a failure to write it is logged and never undoes a
    publication.
    """
    state = pipeline.warehouse_state(con)
    info = {**info, "warehouse_state": state}
    kept = None
    if not force and not any(frame.height for frame in checks.values()):
        kept = current_snapshot(paths.snapshot, state)
    if kept is not None:
        remove_stale_temporaries(paths.snapshot)  # what a killed publish left, as publish() would
        outcome = PublishOutcome("published", kept.counts,
                                 f"snapshot unchanged: nothing it is made from changed since it was published at "
                                 f"{kept.published_at:%Y-%m-%d %H:%M:%S} UTC, so it is kept (--force writes it again)",
                                 {}, kept.suites, None, unchanged=True)
        run = {**run, "snapshot": "unchanged", "snapshot_published_at": f"{kept.published_at:%Y-%m-%d %H:%M:%S} UTC"}
    else:
        try:
            publication = publish(con, paths.snapshot, checks, info, data_docs_dir=paths.reports / DATA_DOCS)
            outcome = PublishOutcome("published", publication.counts, f"published {paths.snapshot}", {},
                                     publication.suites, None)
        except PublishBlocked as exc:
            outcome = PublishOutcome("blocked", {}, str(exc), exc.failures, exc.suites, None)
    say(outcome.message)
    if kept is not None and outcome.suites is not None and (paths.reports / DATA_DOCS / "index.html").exists():
        outcome.suites.data_docs_index = paths.reports / DATA_DOCS / "index.html"
    run = {**run, "status": outcome.status, "checks": {k: v.height for k, v in checks.items()},
           "suites": outcome.suites_summary()}
    try:
        outcome.report = write_report(con, paths.reports, run=run, checks=checks,
                                      suites=outcome.suites.to_frame() if outcome.suites else None,
                                      data_docs=outcome.data_docs)
        say(f"quality report: {outcome.report.html}")
    except Exception:  # the report is a by-product: never let it undo a publication
        say("the quality report could not be written:\n" + traceback.format_exc())
    return outcome


def build_all(paths: Paths, sessions: list[int] | None = None, force: bool = False,
              progress: Callable[[str], None] | None = None) -> dict:
    say = progress or (lambda _m: None)
    started = time.time()
    sources = scan_landing(paths.landing)
    landed = sorted({s.session for s in sources if s.session is not None})
    wanted = landed if sessions is None else [s for s in sessions if s in landed]
    con = pipeline.open_warehouse(paths.warehouse)
    try:
        pipeline.record_unplaced(con, sources)
        if force or pipeline.pending_work(con, wanted, sources):
            parallel.start(extract.warm_up)  # the workers start while the raw layer loads
        for known in pipeline.loaded_sessions(con):
            if known not in landed:
                say(f"session {known}: no longer in landing, removed")
                pipeline.drop_session(con, known)
        layers = []
        for i, session in enumerate(wanted, start=1):
            say(f"[{i}/{len(wanted)}] session {session}: loading")
            results = pipeline.build_session(con, paths.landing, session, sources, force)
            layers.extend(results)
            say(f"[{i}/{len(wanted)}] session {session}: " + ", ".join(
                f"{r.layer} {'unchanged' if r.skipped else r.counts}" for r in results))
        result = pipeline.build_global_marts(con)
        layers.append(result)
        say("marts over all sessions: " + ("unchanged" if result.skipped else str(result.counts)))
        say("checks")
        checks = pipeline.run_checks(con)
        checks[pipeline.SESSIONS_BUILT] = pipeline.unbuilt_sessions(con, landed)
        info = pipeline.build_info(landed, f"in-process-{uuid.uuid4().hex[:12]}", "in-process")
        run = {"finished_at": pipeline.now().isoformat(timespec="seconds"), "sessions": wanted,
               "seconds": round(time.time() - started, 2), "via": "in-process"}
        say("suites and publication")
        outcome = publish_and_report(con, paths, checks, info, run, say, force=force)
        summary = {
            "finished_at": pipeline.now().isoformat(timespec="seconds"),
            "status": outcome.status,
            "snapshot": "unchanged" if outcome.unchanged else ("written" if outcome.status == "published" else "kept"),
            "sessions": wanted,
            "seconds": round(time.time() - started, 2),
            "checks": {k: v.height for k, v in checks.items()},
            "suites": outcome.suites_summary(),
            "tables": outcome.counts,
            "report": str(outcome.report.html) if outcome.report else None,
            "via": "in-process",
        }
    finally:
        con.close()
    log_run(paths, summary)
    return summary


def log_run(paths: Paths, summary: dict) -> None:
    paths.root.mkdir(parents=True, exist_ok=True)
    with paths.runs_log.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(summary, default=str) + "\n")
