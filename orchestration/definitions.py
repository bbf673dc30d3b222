"""The one entry point Dagster loads: `dagster dev -m orchestration.definitions`."""

from __future__ import annotations

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
from orchestration.jobs import ingest_session_job, publish_job
from orchestration.resources import build_resources
from orchestration.sensors import landing_sensor, nightly_schedule, publish_after_ingest
from warehouse.settings import Paths, paths as default_paths

ASSETS = [raw_documents, staging_resolutions, core_star_schema, core_dimensions, session_marts, global_marts,
          published_snapshot]


def build_definitions(paths: Paths | None = None) -> dg.Definitions:
    """Definitions bound to a data directory (UNGA_DATA_DIR or ./data by default)."""
    return dg.Definitions(
        assets=ASSETS,
        asset_checks=structural_checks,
        jobs=[ingest_session_job, publish_job],
        sensors=[landing_sensor, publish_after_ingest],
        schedules=[nightly_schedule],
        resources=build_resources(paths or default_paths()),
        # One writer at a time: DuckDB allows a single process to write the warehouse file.
        executor=dg.in_process_executor,
    )


defs = build_definitions()
