"""A whole build without Dagster: every landed session, the checks, the snapshot.

Dagster's assets call the same functions one partition at a time; this module
is for ``unga build --no-dagster``, the tests and the benchmark, which compares
the two to show Dagster's overhead. It imports no Dagster; it lives in orchestration
because it drives the layers below, the publish gate (expectations/gate.py) among them.
"""

from __future__ import annotations

import json
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from transforms import extract, parallel
from transforms.discover import scan_landing
from expectations import gate
from expectations.gate import PublishBlocked, current_snapshot, publish
from warehouse import holdback, pipeline
from warehouse.progress import describe
from warehouse.publish import remove_stale_temporaries
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
    kept_since: str | None = None  # when the kept snapshot was published ("2026-12-07 04:05:03 UTC")
    checks: dict[str, pl.DataFrame] = field(default_factory=dict)  # the last round's structural checks
    held_back: pl.DataFrame | None = None  # raw.held_back after the build: resolutions left out, and why
    newly_held: list[str] = field(default_factory=list)  # symbols held back by this build
    systemic: list[str] = field(default_factory=list)  # why the failures could not be held back

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


# Rounds of "hold back what failed, rebuild, judge again". One round holds back what the
# checks name, a second what the suites name; a third catches a failure that only shows
# once the others are out. A failure still there after that is not going away by holding
# more back.
MAX_ROUNDS = 3


def publish_and_report(con, paths: Paths, landed: list[int], info: dict, run: dict,
                       say: Callable[[str], None] = lambda _m: None, force: bool = False) -> PublishOutcome:
    """Check, hold back what breaks a rule, publish the rest, and write the quality report.

    Shared by ``unga build`` and the Dagster snapshot asset so both gate and report alike.
    Each round runs the structural checks over the warehouse and then (on the written
    file) the suites. A failure whose rows name resolutions holds those back
    (warehouse/holdback.py): they leave core and everything built from it, and the round
    is run again; a failure that names none, or too many held back, blocks the snapshot,
    and the last good one stays. When the published snapshot was written from a warehouse
    in the same state as now (pipeline.warehouse_state) and no check fails, it is kept as
    it is (``force`` writes it anyway). The report is written whether the snapshot was
    published, kept or blocked; a failure to write it is logged and never undoes a
    publication.
    """
    # Publication uses no worker process: stop them, or their memory stays resident beside
    # the snapshot's (at 10x, some 360 MB). A hold-back round that rebuilds a session starts
    # them again.
    parallel.shutdown()
    rules = pipeline.rules_version()
    reasons = {name: pipeline.check_reason(name) for name in pipeline.CHECKS}
    newly_held: set[str] = set()
    systemic: list[str] = []
    outcome = None
    for _round in range(MAX_ROUNDS):
        checks = pipeline.run_checks(con)
        checks[pipeline.SESSIONS_BUILT] = pipeline.unbuilt_sessions(con, landed)
        verdict = holdback.from_checks(checks, reasons)
        if not verdict.holds and not verdict.systemic:
            outcome = _attempt(con, paths, checks, info, say, force)
            if outcome.status == "published" or outcome.suites is None:
                break
            verdict = holdback.from_suites(outcome.suites)
        if not verdict.holds:  # nothing to hold back: the failure is systemic
            systemic = verdict.systemic
            break
        refused = _hold(con, verdict, rules, newly_held, say)
        if refused:
            systemic = refused + verdict.systemic
            break
        outcome = None
    if outcome is None:
        # The checks failed systemically (nothing was attempted: publish() refuses and says
        # why), or the last round held something back and must be judged once more.
        checks = pipeline.run_checks(con)
        checks[pipeline.SESSIONS_BUILT] = pipeline.unbuilt_sessions(con, landed)
        outcome = _attempt(con, paths, checks, info, say, force)
        if outcome.status == "blocked" and not systemic:
            systemic = [f"rules still fail after {MAX_ROUNDS} rounds of holding resolutions back"]
    outcome.checks = checks
    outcome.systemic = systemic if outcome.status == "blocked" else []
    outcome.held_back = holdback.held(con)
    outcome.newly_held = sorted(newly_held)
    if outcome.status == "blocked" and outcome.systemic:
        outcome.message += "; systemic: " + "; ".join(outcome.systemic)
    say(outcome.message)
    if outcome.unchanged and outcome.suites is not None and (paths.reports / DATA_DOCS / "index.html").exists():
        outcome.suites.data_docs_index = paths.reports / DATA_DOCS / "index.html"
    run = {**run, "status": outcome.status, "checks": {k: v.height for k, v in checks.items()},
           "suites": outcome.suites_summary(),
           "held_back": outcome.held_back["symbol"].n_unique() if outcome.held_back.height else 0,
           "quarantined": con.execute("SELECT count(*) FROM raw.rejected").fetchone()[0],
           "systemic": outcome.systemic}
    if outcome.unchanged:
        run = {**run, "snapshot": "unchanged", "snapshot_published_at": outcome.kept_since}
    if run.get("started") is not None:  # the run's start (epoch seconds): its duration up to the report
        run = {**run, "seconds": round(time.time() - run["started"], 1),
               "finished_at": pipeline.now().isoformat(timespec="seconds")}
    try:
        outcome.report = write_report(con, paths.reports, run=run, checks=checks,
                                      suites=outcome.suites.to_frame() if outcome.suites else None,
                                      data_docs=outcome.data_docs)
        say(f"quality report: {outcome.report.html}")
    except Exception:  # the report is a by-product: never let it undo a publication
        say("the quality report could not be written:\n" + traceback.format_exc())
    write_outcome(con, paths, outcome)
    return outcome


def write_outcome(con, paths: Paths, outcome: PublishOutcome) -> dict:
    """Record what this publication decided in <reports>/last_publication.json.

    `unga build` prints its closing summary from it whichever way the build ran (in
    process or through Dagster, where the decision is made inside the snapshot asset):
    published or not and why, what is quarantined and what is held back, each with its
    reason, and the report's path. Written under a temporary name and renamed.
    """
    quarantined = con.execute(
        "SELECT session, source_path || coalesce('!' || member, '') AS location, stage, reason FROM raw.rejected "
        "ORDER BY session NULLS FIRST, location").pl()
    counts = con.execute("SELECT session, count(*) AS resolutions FROM core.dim_resolution GROUP BY ALL "
                         "ORDER BY session").fetchall()
    record = {
        "finished_at": pipeline.now().isoformat(timespec="seconds"),
        "status": outcome.status,
        "snapshot": "unchanged" if outcome.unchanged else ("written" if outcome.status == "published" else "kept"),
        "message": outcome.message,
        "systemic": outcome.systemic,
        "failures": {name: frame.height for name, frame in outcome.failures.items()},
        "resolutions_by_session": {str(s): n for s, n in counts} if outcome.status == "published" else {},
        "quarantined": quarantined.to_dicts(),
        "held_back": (outcome.held_back.select("session", "symbol", "rule", "reason", "failing_rows").to_dicts()
                      if outcome.held_back is not None else []),
        "newly_held": outcome.newly_held,
        "report": str(outcome.report.html) if outcome.report else None,
    }
    paths.reports.mkdir(parents=True, exist_ok=True)
    tmp = paths.last_publication.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, indent=1, default=str), encoding="utf-8")
    tmp.replace(paths.last_publication)
    return record


def _hold(con, verdict: holdback.Verdict, rules: str, newly_held: set[str], say) -> list[str]:
    """Hold back the verdict's resolutions and rebuild their sessions from core on.

    Returns why it would not (nothing is written then): too many resolutions, or only
    resolutions that are held back already (a failure holding them back did not cure).
    """
    placed = holdback.sessions_of(con, verdict.symbols)
    already = {r[0] for r in con.execute("SELECT DISTINCT symbol FROM raw.held_back").fetchall()}
    fresh = holdback.Verdict([h for h in verdict.holds if h.symbol in placed and h.symbol not in already])
    if not fresh.holds:
        return [f"{rule} fails on resolutions that are held back already or not in the warehouse "
                f"({', '.join(sorted(verdict.symbols)[:5])})" for rule in sorted({h.rule for h in verdict.holds})]
    limits = holdback.over_limits(con, fresh.symbols, placed)
    if limits:
        return limits
    sessions = holdback.hold_back(con, fresh, placed, rules)
    for symbol in sorted(fresh.symbols):
        rules_broken = sorted({h.rule for h in fresh.holds if h.symbol == symbol})
        say(f"held back {symbol} (session {placed[symbol]}): {'; '.join(rules_broken)}")
    newly_held |= fresh.symbols
    for session in sorted(sessions):
        pipeline.build_core(con, session)
        pipeline.build_enrich(con, session)
        pipeline.build_marts(con, session)
    pipeline.build_global_marts(con)
    return []


def _attempt(con, paths: Paths, checks: dict[str, pl.DataFrame], info: dict, say, force: bool) -> PublishOutcome:
    """One try at publishing: keep the snapshot if it is current, else write it (checks, suites)."""
    state = pipeline.warehouse_state(con)
    info = {**info, "warehouse_state": state}
    kept = None
    if not force and not any(frame.height for frame in checks.values()):
        kept = current_snapshot(paths.snapshot, state)
    if kept is not None:
        remove_stale_temporaries(paths.snapshot)  # what a killed publish left, as publish() would
        return PublishOutcome("published", kept.counts,
                              f"snapshot unchanged: nothing it is made from changed since it was published at "
                              f"{kept.published_at:%Y-%m-%d %H:%M:%S} UTC, so it is kept (--force writes it again)",
                              {}, kept.suites, None, unchanged=True,
                              kept_since=f"{kept.published_at:%Y-%m-%d %H:%M:%S} UTC")
    try:
        publication = publish(con, paths.snapshot, checks, info, data_docs_dir=paths.reports / DATA_DOCS)
        return PublishOutcome("published", publication.counts, f"published {paths.snapshot}", {},
                              publication.suites, None)
    except PublishBlocked as exc:
        return PublishOutcome("blocked", {}, str(exc), exc.failures, exc.suites, None)


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
            gate.warm_up()  # and Great Expectations is imported while the layers build
        for known in pipeline.loaded_sessions(con):
            if known not in landed:
                say(f"session {known}: no longer in landing, removed")
                pipeline.drop_session(con, known)
        layers = []
        for i, session in enumerate(wanted, start=1):
            done = []
            for result in pipeline.build_session_layers(con, paths.landing, session, sources, force):
                layers.append(result)
                done.append(result)
                if not result.skipped:  # a line per layer as it finishes, with its counts
                    say(f"[{i}/{len(wanted)}] session {session}: {describe(result)}")
            say(f"[{i}/{len(wanted)}] session {session}: " + ", ".join(
                f"{r.layer} {'unchanged' if r.skipped else 'built'}" for r in done))
        result = pipeline.build_global_marts(con)
        layers.append(result)
        say("marts over all sessions: " + ("unchanged" if result.skipped else describe(result)))
        say("checks, suites and publication")
        info = pipeline.build_info(landed, f"in-process-{uuid.uuid4().hex[:12]}", "in-process")
        run = {"finished_at": pipeline.now().isoformat(timespec="seconds"), "sessions": wanted,
               "started": started, "via": "in-process"}
        outcome = publish_and_report(con, paths, landed, info, run, say, force=force)
        checks = outcome.checks
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
