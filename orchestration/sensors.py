"""The landing sensor, the publish trigger and the nightly schedule."""


import hashlib
import json

import dagster as dg

from orchestration.jobs import ingest_session_job, publish_job
from orchestration.partitions import ga_session
from orchestration.resources import UngaPaths
from transforms.discover import scan_landing


def session_fingerprints(unga: UngaPaths) -> dict[str, str]:
    """A hash per session of the files that land for it (paths and sha256)."""
    by_session: dict[str, list[str]] = {}
    for s in scan_landing(unga.paths.landing):
        if s.session is not None:
            by_session.setdefault(str(s.session), []).append(f"{s.path}\t{s.sha256}")
    return {k: hashlib.sha256("\n".join(sorted(v)).encode()).hexdigest() for k, v in by_session.items()}


@dg.sensor(
    job=ingest_session_job,
    minimum_interval_seconds=60,
    description="Watches the landing folder: a new session becomes a partition, and a new or changed file "
                "launches the run of its session.",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def landing_sensor(context: dg.SensorEvaluationContext, unga: UngaPaths) -> dg.SensorResult:
    seen = json.loads(context.cursor) if context.cursor else {}
    current = session_fingerprints(unga)
    known = set(context.instance.get_dynamic_partitions(ga_session.name))
    new_keys = sorted(set(current) - known, key=int)
    changed = sorted((k for k, fp in current.items() if seen.get(k) != fp), key=int)
    return dg.SensorResult(
        run_requests=[dg.RunRequest(partition_key=k, run_key=f"{k}:{current[k]}") for k in changed],
        dynamic_partitions_requests=[ga_session.build_add_request(new_keys)] if new_keys else [],
        cursor=json.dumps(current, sort_keys=True),
        skip_reason=None if changed else "no new or changed files in landing",
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
