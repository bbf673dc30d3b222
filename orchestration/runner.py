"""Run the Dagster graph in process: what `unga build` does.

Each landed session is added as a partition and materialized with its blocking
checks; then the snapshot is published. Runs are recorded in the Dagster
instance under the data directory, so `dagster dev` shows them afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import dagster as dg
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from orchestration.assets import (
    core_dimensions,
    core_star_schema,
    global_marts,
    published_snapshot,
    raw_documents,
    session_marts,
    staging_resolutions,
)
from orchestration.checks import structural_checks
from orchestration.instance import open_instance
from orchestration.partitions import ga_session
from orchestration.resources import build_resources
from transforms.discover import scan_landing
from warehouse import pipeline
from warehouse.build import log_run
from warehouse.publish import current_snapshot
from warehouse.settings import Paths

# The terminal shows unga's own progress lines; Dagster's step events stay in its run log.
_QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def instance_for(paths: Paths) -> dg.DagsterInstance:
    """The instance `make dagster` uses too (orchestration/dagster.yaml: the warehouse pool, run retries)."""
    return open_instance(paths.dagster_home)


SESSION_ASSETS = [raw_documents, staging_resolutions, core_star_schema, core_dimensions, session_marts]


def session_ranges(order: list[str], wanted: list[int]) -> list[tuple[str, str]]:
    """The wanted sessions as contiguous (first, last) ranges of the instance's partition order.

    A Dagster partition range runs the partitions between its ends in the order they were
    added, so a range is only used over sessions that are all wanted.
    """
    ranges: list[list[str]] = []
    keep = {str(s) for s in wanted}
    previous = False
    for key in order:
        if key in keep:
            if previous:
                ranges[-1][1] = key
            else:
                ranges.append([key, key])
        previous = key in keep
    return [(a, b) for a, b in ranges]


def build_with_dagster(paths: Paths, sessions: list[int] | None = None,
                       progress: Callable[[str], None] | None = None) -> dict:
    """Build through Dagster: the wanted sessions, then the global marts and the snapshot.

    The sessions run as one partition range (one run, one warehouse connection), with the
    global marts and the publication in the same run when the range covers every wanted
    session, so a full build is one run in the Dagster UI; each session's rows still show
    as materializations of its partition. Sessions that do not form one range of the
    instance's partition order run as several ranges, then a publishing run.
    """
    say = progress or (lambda _m: None)
    started = time.time()
    landed = sorted({s.session for s in scan_landing(paths.landing) if s.session is not None})
    wanted = landed if sessions is None else [s for s in sessions if s in landed]
    if wanted == landed and _nothing_to_do(paths, landed, say):
        summary = {"finished_at": pipeline.now().isoformat(timespec="seconds"), "status": "published",
                   "snapshot": "unchanged", "sessions": wanted, "session_runs": {},
                   "seconds": round(time.time() - started, 2), "via": "dagster"}
        log_run(paths, summary)
        return summary
    resources = build_resources(paths)
    outcomes: dict[int, str] = {}
    with instance_for(paths) as instance:
        known = set(instance.get_dynamic_partitions(ga_session.name))
        new = [str(s) for s in landed if str(s) not in known]
        if new:
            instance.add_dynamic_partitions(ga_session.name, new)
        _drop_vanished(paths, landed, instance, known, say)
        ranges = session_ranges(instance.get_dynamic_partitions(ga_session.name), wanted)
        publish_in_range = len(ranges) == 1
        published = None
        for first, last in ranges:
            label = f"session {first}" if first == last else f"sessions {first}-{last}"
            # One session: an ordinary partition run (as the sensor launches); several: a range.
            partition = ({"partition_key": first} if first == last else
                         {"tags": {"unga/trigger": "cli", ASSET_PARTITION_RANGE_START_TAG: first,
                                   ASSET_PARTITION_RANGE_END_TAG: last}})
            tail = " and the snapshot" if publish_in_range else ""
            say(f"{label}{tail}: running in Dagster")
            assets = [*SESSION_ASSETS, *structural_checks]
            if publish_in_range:
                assets += [global_marts, published_snapshot]
            result = dg.materialize(
                assets,
                instance=instance,
                resources=resources,
                raise_on_error=False,
                **{"tags": {"unga/trigger": "cli"}, **partition},
                run_config=_QUIET,
            )
            in_range = [s for s in wanted if str(s) in _between(instance, first, last)]
            sessions_ok = _sessions_succeeded(result)
            for s in in_range:
                outcomes[s] = "success" if sessions_ok else "failed"
            if publish_in_range:
                published = result.success
            say(f"{label}: {'success' if sessions_ok else 'failed'} (run {result.run_id[:8]})")
        status = "blocked"
        if published is None and all(v == "success" for v in outcomes.values()):
            say("publishing the snapshot")
            pub = dg.materialize([global_marts, published_snapshot], instance=instance, resources=resources,
                                 raise_on_error=False, tags={"unga/trigger": "cli"}, run_config=_QUIET)
            published = pub.success
        if published and all(v == "success" for v in outcomes.values()):
            status = "published"
        say(f"snapshot {'published at ' + str(paths.snapshot) if status == 'published' else 'not published'}")
    summary = {
        "finished_at": pipeline.now().isoformat(timespec="seconds"),
        "status": status,
        "sessions": wanted,
        "session_runs": outcomes,
        "seconds": round(time.time() - started, 2),
        "via": "dagster",
    }
    log_run(paths, summary)
    return summary


def _nothing_to_do(paths: Paths, landed: list[int], say) -> bool:
    """True when a run would skip every layer and keep the snapshot: then none is launched.

    The same tests the assets make (each layer's fingerprint, the global marts', the
    snapshot's warehouse state), without a run: a Dagster run costs seconds even when
    every step finds nothing to do, as the landing sensor also avoids by not requesting one.
    """
    if not paths.warehouse.exists() or not paths.snapshot.exists():
        return False
    con = pipeline.open_warehouse(paths.warehouse)
    try:
        sources = scan_landing(paths.landing)
        pipeline.record_unplaced(con, sources)  # as raw/documents would: a new stray file is a change
        if pipeline.pending_work(con, landed, sources):
            return False
        if any(frame.height for frame in pipeline.run_checks(con).values()):
            return False
        kept = current_snapshot(paths.snapshot, pipeline.warehouse_state(con))
    finally:
        con.close()
    if kept is None:
        return False
    say(f"nothing changed since the last build: no Dagster run launched; the snapshot published at "
        f"{kept.published_at:%Y-%m-%d %H:%M:%S} UTC is kept")
    return True


def _between(instance, first: str, last: str) -> list[str]:
    order = instance.get_dynamic_partitions(ga_session.name)
    return order[order.index(first):order.index(last) + 1]


def _sessions_succeeded(result) -> bool:
    """Whether every per-session step (and its blocking checks) succeeded in the run."""
    names = {a.node_def.name for a in SESSION_ASSETS} | {c.node_def.name for c in structural_checks}
    failed = {e.step_key for e in result.all_events if e.is_step_failure}
    return not (failed & names)


def _drop_vanished(paths: Paths, landed: list[int], instance, known: set[str], say) -> None:
    """A session whose files left the landing folder leaves the warehouse and the partitions."""
    gone = sorted(int(k) for k in known if k.isdigit() and int(k) not in landed)
    if not gone:
        return
    con = pipeline.open_warehouse(paths.warehouse)
    try:
        for session in gone:
            say(f"session {session}: no longer in landing, removed")
            pipeline.drop_session(con, session)
            instance.delete_dynamic_partition(ga_session.name, str(session))
    finally:
        con.close()
