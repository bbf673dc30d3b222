"""Jobs: one session through raw, staging and core; and the publication of the snapshot."""

import dagster as dg

from orchestration.partitions import ga_session

ingest_session_job = dg.define_asset_job(
    "ingest_session",
    selection=dg.AssetSelection.groups("ingest", "core", "marts"),
    partitions_def=ga_session,
    description="Land, parse and model one GA session; blocking checks guard the core tables.",
)

publish_job = dg.define_asset_job(
    "publish_snapshot",
    selection=dg.AssetSelection.groups("publish"),
    description="Write the read-only snapshot if every blocking check passes.",
)
