"""A whole build without Dagster: every landed session, the checks, the snapshot.

Dagster's assets call the same functions one partition at a time; this module
is for ``unga build --no-dagster``, the tests and the benchmark, which compares
the two to show Dagster's overhead.
"""

from __future__ import annotations

import json
import uuid
import time
from collections.abc import Callable

from transforms.discover import scan_landing
from warehouse import pipeline
from warehouse.publish import PublishBlocked, publish
from warehouse.settings import Paths


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
        status = "published"
        try:
            info = pipeline.build_info(landed, f"in-process-{uuid.uuid4().hex[:12]}", "in-process")
            counts = publish(con, paths.snapshot, checks, info)
            say(f"published {paths.snapshot}")
        except PublishBlocked as exc:
            status, counts = "blocked", {}
            say(str(exc))
        summary = {
            "finished_at": pipeline.now().isoformat(timespec="seconds"),
            "status": status,
            "sessions": wanted,
            "seconds": round(time.time() - started, 2),
            "checks": {k: v.height for k, v in checks.items()},
            "tables": counts,
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
