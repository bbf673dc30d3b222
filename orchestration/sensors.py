"""The landing sensor, the publish trigger and the nightly schedule."""


import hashlib
import json
import time

import dagster as dg
from dagster._core.storage.tags import WILL_RETRY_TAG

from orchestration.jobs import ingest_session_job, publish_job
from orchestration.partitions import ga_session
from orchestration.resources import UngaPaths
from transforms.discover import scan_landing
from warehouse import pipeline


def session_fingerprints(unga: UngaPaths) -> dict[str, str]:
    """Per session, the raw layer's fingerprint of what landed for it (warehouse.pipeline.raw_fingerprint):
    the documents placed in it, by path, archive member and sha256. The same definition the build uses."""
    sources = scan_landing(unga.paths.landing)
    sessions = sorted({s.session for s in sources if s.session is not None})
    return {str(session): pipeline.raw_fingerprint(session, sources) for session in sessions}


# A session whose run failed (after the retries of the instance, orchestration/dagster.yaml) is
# requested again on a later tick, this many requests in all for one state of its files; then
# the sensor waits for the files to change (or for `unga build`, the UI or the nightly schedule).
MAX_REQUESTS = 3
# On every run the sensor requests (and on its retries and re-executions, which keep the tags):
# the run key of the request, so that a later tick can tell how the request ended.
REQUEST_TAG = "unga/landing_request"
# A failed run marked for retry whose retry has not appeared this long after it ended is
# taken as not retried (the daemon that retries it was stopped).
_RETRY_GRACE_SECONDS = 600


def request_outcome(instance: dg.DagsterInstance, run_key: str) -> str:
    """How the runs of one request ended: pending, succeeded, canceled or failed.

    Pending while a run (or a retry of it) is queued or in progress, while a failed run
    waits for its retry, and before the run exists: the daemon creates it after the tick
    that requested it. Succeeded when any run of the request succeeded.
    """
    records = instance.get_run_records(filters=dg.RunsFilter(tags={REQUEST_TAG: run_key}))
    runs = [r.dagster_run for r in records]
    if not runs:
        return "pending"
    if any(r.status == dg.DagsterRunStatus.SUCCESS for r in runs):
        return "succeeded"
    if any(not r.is_finished for r in runs):
        return "pending"
    retried = {r.parent_run_id for r in runs}
    for record in records:
        run = record.dagster_run
        if (run.tags.get(WILL_RETRY_TAG) == "true" and run.run_id not in retried
                and time.time() - (record.end_time or record.update_timestamp.timestamp()) < _RETRY_GRACE_SECONDS):
            return "pending"
    if all(r.status == dg.DagsterRunStatus.CANCELED for r in runs):
        return "canceled"
    return "failed"


def _session_run(key: str, run_key: str) -> dg.RunRequest:
    return dg.RunRequest(job_name=ingest_session_job.name, partition_key=key, run_key=run_key,
                         tags={REQUEST_TAG: run_key})


@dg.sensor(
    jobs=[ingest_session_job, publish_job],
    minimum_interval_seconds=60,
    description="Watches the landing folder: a new session becomes a partition, a new or changed file "
                "launches the run of its session, a session whose run failed is requested again (up to "
                f"{MAX_REQUESTS} times), and a session whose files are gone is removed.",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def landing_sensor(context: dg.SensorEvaluationContext, unga: UngaPaths) -> dg.SensorResult:
    # The cursor keeps, per session, the fingerprint last seen and how many changes were
    # seen; the count goes into the run key, so that a folder returning to an earlier
    # state (metadata withdrawn, then restored) still gets a run of its own. It also keeps
    # the run key of the last request and what came of it: a fingerprint counts as handled
    # only once a run for it succeeded, so a failed run is requested again.
    state = json.loads(context.cursor) if context.cursor else {}
    current = session_fingerprints(unga)
    known = set(context.instance.get_dynamic_partitions(ga_session.name))
    new_keys = sorted(set(current) - known, key=int)
    gone = sorted((k for k in known if k not in current), key=int)
    runs, next_state, notes = [], {}, []
    for key in sorted(current, key=int):
        seen = state.get(key) or {}
        changes = seen.get("changes", 0)
        if seen.get("fingerprint") != current[key]:
            changes += 1
            run_key = f"{key}:{changes}:{current[key][:16]}"
            runs.append(_session_run(key, run_key))
            next_state[key] = {"fingerprint": current[key], "changes": changes, "run_key": run_key,
                               "requests": 1, "outcome": "pending"}
            continue
        entry = dict(seen)
        if entry.get("outcome") == "pending":  # a cursor of an older sensor has no outcome: handled
            entry["outcome"] = request_outcome(context.instance, entry["run_key"])
            if entry["outcome"] == "failed" and entry["requests"] < MAX_REQUESTS:
                entry["requests"] += 1
                entry["run_key"] = f"{key}:{changes}:{current[key][:16]}:request-{entry['requests']}"
                entry["outcome"] = "pending"
                runs.append(_session_run(key, entry["run_key"]))
                context.log.info(f"session {key}: its run failed; requested again "
                                 f"({entry['requests']} of {MAX_REQUESTS})")
            elif entry["outcome"] == "failed":
                notes.append(f"session {key} failed {MAX_REQUESTS} times and is not requested again until "
                             f"its files change")
        next_state[key] = entry
    requests = []
    if new_keys:
        requests.append(ga_session.build_add_request(new_keys))
    if gone:
        # The snapshot asset drops sessions no longer in landing before it publishes.
        requests.append(ga_session.build_delete_request(gone))
        previous = hashlib.sha256((context.cursor or "").encode()).hexdigest()[:16]  # the cursor is long now
        runs.append(dg.RunRequest(job_name=publish_job.name, run_key=f"removed:{','.join(gone)}:{previous}"))
    for note in notes:
        context.log.warning(note)
    return dg.SensorResult(
        run_requests=runs,
        dynamic_partitions_requests=requests,
        cursor=json.dumps(next_state, sort_keys=True),
        skip_reason=None if runs else "; ".join(["no new, changed or removed files in landing", *notes]),
    )


# A session run that is still queued or in progress will publish when it ends.
_UNFINISHED = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
               dg.DagsterRunStatus.STARTED]


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[ingest_session_job],
    request_job=publish_job,
    minimum_interval_seconds=5,
    description="After a session's run succeeds, publish the snapshot (the checks run again before it is "
                "written), unless another session run is still queued or running, or succeeded later: the last "
                "one publishes.",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def publish_after_ingest(context: dg.RunStatusSensorContext):
    # The sensor may see a success some seconds after it happened, when the next run has
    # ended too: that one publishes, so that a queue of session runs publishes once.
    this = context.dagster_run.run_id
    others = [r for r in context.instance.get_runs(filters=dg.RunsFilter(job_name=ingest_session_job.name,
                                                                          statuses=_UNFINISHED))
              if r.run_id != this]
    if others:
        return dg.SkipReason(f"{len(others)} other session run(s) still queued or running; the last to succeed "
                             f"publishes")
    ended = context.instance.get_run_record_by_id(this).end_time or 0
    later = [r for r in context.instance.get_run_records(
                 filters=dg.RunsFilter(job_name=ingest_session_job.name, statuses=[dg.DagsterRunStatus.SUCCESS]),
                 limit=20)
             if r.dagster_run.run_id != this and (r.end_time or 0) > ended]
    if later:
        return dg.SkipReason(f"session run {later[0].dagster_run.run_id[:8]} succeeded later and publishes")
    return dg.RunRequest(run_key=this)


@dg.schedule(
    job=ingest_session_job,
    cron_schedule="0 5 * * *",
    execution_timezone="UTC",
    description="Nightly, unattended: every known session is run again; unchanged sessions are skipped "
                "cheaply by their fingerprints.",
)
def nightly_schedule(context: dg.ScheduleEvaluationContext):
    for key in context.instance.get_dynamic_partitions(ga_session.name):
        yield dg.RunRequest(partition_key=key, run_key=f"nightly:{key}:{context.scheduled_execution_time:%Y-%m-%d}")
