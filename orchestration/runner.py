"""Run the Dagster graph in process: what `unga build` does.

Each landed session is added as a partition and materialized with its blocking
checks; then the snapshot is published. Runs are recorded in the Dagster
instance under the data directory, so `dagster dev` shows them afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import dagster as dg

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
from orchestration.partitions import ga_session
from orchestration.resources import build_resources
from transforms.discover import scan_landing
from warehouse import pipeline
from warehouse.build import log_run
from warehouse.settings import Paths

# The terminal shows unga's own progress lines; Dagster's step events stay in its run log.
_QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}

_INSTANCE_YAML = """\
# Written by unga: a local instance under the data directory.
telemetry:
  enabled: false
"""


def instance_for(paths: Paths) -> dg.DagsterInstance:
    home = paths.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(_INSTANCE_YAML, encoding="utf-8")
    return dg.DagsterInstance.from_config(str(home))


def build_with_dagster(paths: Paths, sessions: list[int] | None = None,
                       progress: Callable[[str], None] | None = None) -> dict:
    say = progress or (lambda _m: None)
    started = time.time()
    landed = sorted({s.session for s in scan_landing(paths.landing) if s.session is not None})
    wanted = landed if sessions is None else [s for s in sessions if s in landed]
    resources = build_resources(paths)
    outcomes: dict[int, str] = {}
    with instance_for(paths) as instance:
        known = set(instance.get_dynamic_partitions(ga_session.name))
        new = [str(s) for s in landed if str(s) not in known]
        if new:
            instance.add_dynamic_partitions(ga_session.name, new)
        _drop_vanished(paths, landed, instance, known, say)
        for i, session in enumerate(wanted, start=1):
            say(f"[{i}/{len(wanted)}] session {session}: running in Dagster")
            result = dg.materialize(
                [raw_documents, staging_resolutions, core_star_schema, core_dimensions, session_marts,
                 *structural_checks],
                partition_key=str(session),
                instance=instance,
                resources=resources,
                raise_on_error=False,
                tags={"unga/trigger": "cli"},
                run_config=_QUIET,
            )
            outcomes[session] = "success" if result.success else "failed"
            say(f"[{i}/{len(wanted)}] session {session}: {outcomes[session]} (run {result.run_id[:8]})")
        status = "blocked"
        if all(v == "success" for v in outcomes.values()):
            say("publishing the snapshot")
            pub = dg.materialize([global_marts, published_snapshot], instance=instance, resources=resources,
                                 raise_on_error=False, tags={"unga/trigger": "cli"}, run_config=_QUIET)
            status = "published" if pub.success else "blocked"
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
