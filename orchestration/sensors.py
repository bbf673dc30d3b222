"""The landing sensor, the publish trigger and the nightly schedule."""


import hashlib
import json

import dagster as dg

from orchestration.jobs import ingest_session_job, publish_job
from orchestration.partitions import ga_session
from orchestration.resources import UngaPaths
from transforms.discover import scan_landing


def session_fingerprints(unga: UngaPaths) -> dict[str, str]:
    """A hash per session of the documents placed in it (path, archive member, sha256), as the raw layer's."""
    by_session: dict[str, list[str]] = {}
    for s in scan_landing(unga.paths.landing):
        if s.session is not None:
            by_session.setdefault(str(s.session), []).extend(
                f"{s.path}\t{member or ''}\t{sha}" for member, sha in s.documents)
    return {k: hashlib.sha256("\n".join(sorted(v)).encode()).hexdigest() for k, v in by_session.items()}


@dg.sensor(
    jobs=[ingest_session_job, publish_job],
    minimum_interval_seconds=60,
    description="Watches the landing folder: a new session becomes a partition, a new or changed file "
                "launches the run of its session, and a session whose files are gone is removed.",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def landing_sensor(context: dg.SensorEvaluationContext, unga: UngaPaths) -> dg.SensorResult:
    # The cursor keeps, per session, the fingerprint last seen and how many changes were
    # seen; the count goes into the run key, so that a folder returning to an earlier
    # state (metadata withdrawn, then restored) still gets a run of its own.
    state = json.loads(context.cursor) if context.cursor else {}
    current = session_fingerprints(unga)
    known = set(context.instance.get_dynamic_partitions(ga_session.name))
    new_keys = sorted(set(current) - known, key=int)
    gone = sorted((k for k in known if k not in current), key=int)
    runs, next_state = [], {}
    for key in sorted(current, key=int):
        seen = state.get(key) or {}
        changes = seen.get("changes", 0)
        if seen.get("fingerprint") != current[key]:
            changes += 1
            runs.append(dg.RunRequest(job_name=ingest_session_job.name, partition_key=key,
                                      run_key=f"{key}:{changes}:{current[key][:16]}"))
        next_state[key] = {"fingerprint": current[key], "changes": changes}
    requests = []
    if new_keys:
        requests.append(ga_session.build_add_request(new_keys))
    if gone:
        # The snapshot asset drops sessions no longer in landing before it publishes.
        requests.append(ga_session.build_delete_request(gone))
        runs.append(dg.RunRequest(job_name=publish_job.name, run_key=f"removed:{','.join(gone)}:{context.cursor}"))
    return dg.SensorResult(
        run_requests=runs,
        dynamic_partitions_requests=requests,
        cursor=json.dumps(next_state, sort_keys=True),
        skip_reason=None if runs else "no new, changed or removed files in landing",
    )


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[ingest_session_job],
    request_job=publish_job,
    description="After a session's run succeeds, publish the snapshot (the checks run again before it is written).",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def publish_after_ingest(context: dg.RunStatusSensorContext):
    return dg.RunRequest(run_key=context.dagster_run.run_id)


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
