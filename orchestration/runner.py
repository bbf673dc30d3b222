"""Run the Dagster graph in process: what `unga build` does.

Each landed session is added as a partition and materialized with its blocking
checks; then the snapshot is published. Runs are recorded in the Dagster
instance under the data directory, so `dagster dev` shows them afterwards.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable

import dagster as dg
import duckdb
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from orchestration.assets import (
    FORCE_TAG,
    core_dimensions,
    core_star_schema,
    global_marts,
    published_snapshot,
    raw_documents,
    session_marts,
    staging_resolutions,
)
from expectations.gate import current_snapshot, warm_up
from orchestration.build import log_run
from orchestration.checks import structural_checks
from orchestration.instance import open_instance
from orchestration.partitions import ga_session
from orchestration.resources import WAREHOUSE_POOL, build_resources
from transforms.discover import scan_landing
from warehouse import pipeline
from warehouse import progress as progress_lines
from warehouse.settings import Paths

# The terminal shows unga's own progress lines and, when a run fails, why (failure_messages);
# Dagster's events, stack traces included, stay in its run log and the UI.
_QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}

# On `unga build`'s runs: the process that runs them, so that a later build can tell a run
# whose process was killed from one still writing.
PROCESS_TAG = "unga/process"


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
                       progress: Callable[[str], None] | None = None, force: bool = False) -> dict:
    """Build through Dagster: the wanted sessions, then the global marts and the snapshot.

    The sessions run as one partition range (one run, one warehouse connection), with the
    global marts and the publication in the same run when the range covers every wanted
    session, so a full build is one run in the Dagster UI; each session's rows still show
    as materializations of its partition. Sessions that do not form one range of the
    instance's partition order run as several ranges, then a publishing run.

    ``force`` tags every run with FORCE_TAG: each layer is rebuilt and the snapshot written
    even when nothing changed (and a run is launched when none would be). A run that fails
    is reported by what failed (failure_messages), without Dagster's stack traces, and a
    run of `make dagster`'s queue that is writing the warehouse is waited for first.
    """
    say = progress or (lambda _m: None)
    started = time.time()
    landed = sorted({s.session for s in scan_landing(paths.landing) if s.session is not None})
    wanted = landed if sessions is None else [s for s in sessions if s in landed]
    may_skip = not force and wanted == landed
    unchanged = {"finished_at": None, "status": "published", "snapshot": "unchanged", "sessions": wanted,
                 "session_runs": {}, "seconds": None, "via": "dagster"}
    first_look = _nothing_to_do(paths, landed, say) if may_skip else False
    if first_look:
        return _log_unchanged(paths, unchanged, started)
    warm_up()  # Great Expectations imported while the sessions build (the runs are in this process)
    resources = build_resources(paths)
    outcomes: dict[int, str] = {}
    failures: list[str] = []
    tags = {"unga/trigger": "cli", PROCESS_TAG: _this_process(), **({FORCE_TAG: "true"} if force else {})}
    with instance_for(paths) as instance:
        waited = wait_for_warehouse_runs(instance, say)
        # A run of `make dagster` may have done the work meanwhile (or held the warehouse at the first look).
        if may_skip and (waited or first_look is None) and _nothing_to_do(paths, landed, say):
            return _log_unchanged(paths, unchanged, started)
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
            partition = ({"partition_key": first, "tags": tags} if first == last else
                         {"tags": {**tags, ASSET_PARTITION_RANGE_START_TAG: first,
                                   ASSET_PARTITION_RANGE_END_TAG: last}})
            tail = " and the snapshot" if publish_in_range else ""
            say(f"{label}{tail}: running in Dagster")
            assets = [*SESSION_ASSETS, *structural_checks]
            if publish_in_range:
                assets += [global_marts, published_snapshot]
            with progress_lines.listening(say):  # the assets' progress lines, while Dagster's console is quiet
                result = dg.materialize(
                    assets,
                    instance=instance,
                    resources=resources,
                    raise_on_error=False,
                    **partition,
                    run_config=_QUIET,
                )
            failures += _report(result, say)
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
            with progress_lines.listening(say):
                pub = dg.materialize([global_marts, published_snapshot], instance=instance, resources=resources,
                                     raise_on_error=False, tags=tags, run_config=_QUIET)
            failures += _report(pub, say)
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
        **({"forced": True} if force else {}),
        **({"failures": failures} if failures else {}),
    }
    log_run(paths, summary)
    return summary


def _log_unchanged(paths: Paths, summary: dict, started: float) -> dict:
    summary = {**summary, "finished_at": pipeline.now().isoformat(timespec="seconds"),
               "seconds": round(time.time() - started, 2)}
    log_run(paths, summary)
    return summary


def _this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_alive(process: str) -> bool | None:
    """Whether the process a PROCESS_TAG names is running; None when it is on another host."""
    host, _, pid = process.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def warehouse_runs_in_progress(instance: dg.DagsterInstance) -> list[dg.DagsterRun]:
    """Runs of the instance that use the warehouse pool and have not ended."""
    statuses = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]
    return [r for r in instance.get_runs(filters=dg.RunsFilter(statuses=statuses))
            if r.run_op_concurrency and WAREHOUSE_POOL in (r.run_op_concurrency.all_pools or ())]


def wait_for_warehouse_runs(instance: dg.DagsterInstance, say, poll_seconds: float = 2.0) -> bool:
    """Wait until no other run is writing the warehouse, as the instance's queue would.

    `unga build` runs in its own process, outside the queue of `make dagster`; the queue
    already waits for its runs (they use the warehouse pool), and this makes the build wait
    for the queue's. A run of an earlier `unga build` whose process is gone (killed) is
    marked failed, so that it holds neither this build nor the queue. True when it waited.
    """
    waiting_for: set[str] = set()
    while True:
        active = []
        for run in warehouse_runs_in_progress(instance):
            process = run.tags.get(PROCESS_TAG)
            if process and _process_alive(process) is False:
                instance.report_run_failed(run, f"the process of this run ({process}) is gone: marked failed by a "
                                                f"later `unga build`")
                say(f"run {run.run_id[:8]} of an earlier build was left unfinished (its process is gone): "
                    f"marked failed")
                continue
            active.append(run)
        if not active:
            return bool(waiting_for)
        for run in active:
            if run.run_id not in waiting_for:
                waiting_for.add(run.run_id)
                say(f"waiting for Dagster run {run.run_id[:8]} ({run.job_name}) to finish: it is writing the "
                    f"warehouse")
        time.sleep(poll_seconds)


def failure_messages(result) -> list[str]:
    """Why a run failed, in words: one line per failed check, asset or run, no stack trace.

    The expected failures (a blocking check, a publication the checks or suites blocked,
    the warehouse held by another process) say what failed; anything else is a bug and
    keeps its stack trace.
    """
    messages = []
    steps_failed = any(event.is_step_failure for event in result.all_events)
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
            rows = evaluation.metadata.get("violations")
            count = f": {rows.value} row(s) break it" if rows is not None else ""
            messages.append(f"blocking check {evaluation.asset_check_key.name} on "
                            f"{evaluation.asset_key.to_user_string()} failed{count}")
    for event in result.all_events:
        if event.is_step_failure:
            data = event.step_failure_data
            if data.user_failure_data is not None:  # a dg.Failure of an asset: it says why
                messages.append(f"{_step_label(event.step_key)}: {data.user_failure_data.description}")
            elif data.error is not None and data.error.cls_name != "DagsterAssetCheckFailedError":
                messages.append(f"{_step_label(event.step_key)} failed unexpectedly (run {result.run_id[:8]}):\n"
                                f"{data.error.to_string()}")
        elif event.is_run_failure and not steps_failed:  # else it repeats the step's error
            error = getattr(event.event_specific_data, "error", None)
            expected = _expected_error(error)
            if expected:
                messages.append(expected)
            elif error is not None:
                messages.append(f"run {result.run_id[:8]} failed unexpectedly:\n{error.to_string()}")
    return messages


def _step_label(step_key: str | None) -> str:
    return (step_key or "a step").replace("__", "/")


def _expected_error(error) -> str | None:
    """The message of a WarehouseBusy anywhere in an error's chain (Dagster wraps resource errors)."""
    while error is not None:
        if error.cls_name == "WarehouseBusy":
            message = error.message.strip()  # "orchestration.resources.WarehouseBusy: the warehouse ..."
            return message.split(": ", 1)[1] if message.startswith("orchestration.") else message
        error = error.cause or error.context
    return None


def _report(result, say) -> list[str]:
    messages = [] if result.success else failure_messages(result)
    for message in messages:
        say(message)
    return messages


def _nothing_to_do(paths: Paths, landed: list[int], say) -> bool | None:
    """True when a run would skip every layer and keep the snapshot: then none is launched.

    None when it cannot tell: another process holds the warehouse (a run of `make dagster`).

    The same tests the assets make (each layer's fingerprint, the global marts', the
    snapshot's warehouse state), without a run: a Dagster run costs seconds even when
    every step finds nothing to do, as the landing sensor also avoids by not requesting one.
    """
    if not paths.warehouse.exists() or not paths.snapshot.exists():
        return False
    try:
        con = pipeline.open_warehouse(paths.warehouse)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            return None
        raise
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
    succeeded = {e.step_key for e in result.all_events if e.is_step_success}
    return names <= succeeded  # a run that failed before its steps (the warehouse locked) ran none


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
