"""Jobs: one session through raw, staging, core and its marts; and the marts over all sessions with the
publication of the snapshot."""

import dagster as dg

from orchestration.assets import GLOBAL_MARTS, MART_KEYS
from orchestration.partitions import ga_session

_GLOBAL = dg.AssetSelection.assets(*(MART_KEYS[name] for name in GLOBAL_MARTS))

ingest_session_job = dg.define_asset_job(
    "ingest_session",
    selection=dg.AssetSelection.groups("ingest", "core", "marts") - _GLOBAL,
    partitions_def=ga_session,
    description="Land, parse and model one GA session; blocking checks guard the core tables.",
)

publish_job = dg.define_asset_job(
    "publish_snapshot",
    selection=dg.AssetSelection.groups("publish") | _GLOBAL,
    description="Roll the marts up over all sessions, trace series lineage, and write the read-only snapshot "
                "if every blocking check passes.",
)
