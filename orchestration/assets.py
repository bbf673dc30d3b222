"""Assets: thin wrappers over warehouse.pipeline, one GA session per partition."""


import warnings

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.build import publish_and_report
from orchestration.partitions import ga_session
from orchestration.resources import WAREHOUSE_POOL, UngaPaths
from transforms import extract, parallel
from transforms.discover import scan_landing
from expectations.suites import SUITES
from warehouse import db, pipeline, progress, steps
from warehouse.codebook import load_codebook
from warehouse.registry import Model, registry

REGISTRY = registry()
CODEBOOK = load_codebook()
# The public tables each step writes, from the models of warehouse/models (registry.py).
CORE_TABLES = REGISTRY.names("core")
DIMENSION_TABLES = tuple(m.table for m in REGISTRY.step("enrich") if m.public and m.schema == "core")
SESSION_MARTS = REGISTRY.names("session")
GLOBAL_MARTS = REGISTRY.names("global")
MODEL_KEYS = {m.name: dg.AssetKey([m.schema, m.table]) for m in REGISTRY.public()}
CORE_KEYS = {m.table: MODEL_KEYS[m.name] for m in REGISTRY.public("core")}
MANDATES_KEY = MODEL_KEYS["marts.mandates"]
MART_KEYS = {m.table: MODEL_KEYS[m.name] for m in REGISTRY.public("marts")}
STAGING_KEY = dg.AssetKey(["staging", "resolutions"])


def _asset_deps(model: Model) -> list[dg.AssetKey]:
    """The assets a model reads: other models, through the temporary tables it reads, and the
    staging layer for staging.* (raw.held_back and the calendar are no assets)."""
    keys, todo, seen = set(), list(model.depends), set()
    while todo:
        dep = todo.pop()
        if dep in seen:
            continue
        seen.add(dep)
        if dep in MODEL_KEYS:
            keys.add(MODEL_KEYS[dep])
        elif dep in REGISTRY.models:  # an ephemeral model: what it reads
            todo.extend(REGISTRY[dep].depends)
        elif dep.startswith("staging."):
            keys.add(STAGING_KEY)
    return sorted(keys, key=lambda k: k.to_user_string())


def model_spec(model: Model, group: str) -> dg.AssetSpec:
    """A model as a Dagster asset: the codebook's description and columns, its own code version."""
    entry = CODEBOOK["tables"][model.name]
    columns = dg.TableSchema(columns=[
        dg.TableColumn(name, spec["type"], description=spec.get("description"))
        for name, spec in entry["columns"].items()])
    return dg.AssetSpec(
        MODEL_KEYS[model.name], description=entry["description"].strip(), deps=_asset_deps(model),
        group_name=group, code_version=model.code_version,
        kinds={"duckdb", "polars" if model.builder else "sql"},
        metadata={"dagster/column_schema": columns, "dagster/table_name": model.name,
                  "model_file": model.label,
                  "partitioned_by_session": model.partitioned})


def _specs(step: str, group: str | None = None) -> list[dg.AssetSpec]:
    return [model_spec(m, group or m.schema) for m in REGISTRY.step(step) if m.public]


# One run may cover several sessions (a partition range: `unga build` runs every
# landed session in one run, which costs one run's overhead instead of one per session);
# the sensor and the schedule still launch one run per session.
SINGLE_RUN = dg.BackfillPolicy.single_run()
# Dagster marks the parameter beta; it has worked unchanged since 1.5. Say it once here
# rather than on every `unga build`.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)


# `unga build --force` through Dagster: a run with this tag rebuilds every layer of its sessions,
# the global marts and the snapshot, ignoring their fingerprints (the tag can be set in the UI's
# launchpad too, and a retry of the run keeps it).
FORCE_TAG = "unga/force"


def _force(context) -> bool:
    return context.run.tags.get(FORCE_TAG, "").lower() == "true"


def _sessions(context) -> list[int]:
    """The GA sessions this run materializes, oldest first."""
    return sorted(int(k) for k in context.partition_keys)


def _say(context):
    """Log a line, and hand it to `unga build`'s progress when it listens."""
    def say(line: str) -> None:
        context.log.info(line)
        progress.emit(line)
    return say


def _tell(context, session: int | None, result: pipeline.LayerResult) -> pipeline.LayerResult:
    """Log a layer's result, and hand it to `unga build`'s progress when it listens (warehouse/progress.py)."""
    line = (f"session {session}: " if session is not None else "") + progress.describe(result)
    context.log.info(line)
    if not result.skipped:
        progress.emit(line)
    return result


def _add(total: dict, counts: dict) -> dict:
    for k, v in counts.items():
        if isinstance(v, bool):
            total[k] = total.get(k, True) and v
        elif isinstance(v, int | float):
            total[k] = total.get(k, 0) + v
    return total


def _label(sessions: list[int]) -> str:
    return ", ".join(map(str, sessions))


def _rows(con, table: str, sessions: list[int] | None, skipped: bool) -> dict:  # table: a registry name
    """Materialization metadata: the table's rows in these sessions (all rows for a dimension)."""
    if sessions is None:
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    else:
        rows = con.execute(f"SELECT count(*) FROM {table} WHERE session IN (SELECT unnest(?::INTEGER[]))",
                           [sessions]).fetchone()[0]
    return {"rows": rows, "skipped_unchanged": skipped, **({"sessions": _label(sessions)} if sessions else {})}


@dg.asset(
    key=["raw", "documents"],
    partitions_def=ga_session,
    backfill_policy=SINGLE_RUN,
    pool=WAREHOUSE_POOL,
    group_name="ingest",
    kinds={"duckdb", "python"},
    description="The session's files as landed (a DGACM zip, loose XML, metadata JSON lines), unpacked into "
                "documents with their bytes and sha256; unreadable files are quarantined in raw.rejected.",
)
def raw_documents(context: dg.AssetExecutionContext, unga: UngaPaths, duckdb: DuckDBResource) -> dg.MaterializeResult:
    paths = unga.paths
    sources = scan_landing(paths.landing)
    total: dict = {}
    with duckdb.get_connection() as con:
        db.ensure_schema(con)
        unplaced = pipeline.record_unplaced(con, sources)
        if _force(context) or pipeline.pending_work(con, _sessions(context), sources):
            parallel.start(extract.warm_up)  # the workers start while the raw layer loads
        for session in _sessions(context):
            result = pipeline.load_raw(con, paths.landing, session, sources, force=_force(context))
            _tell(context, session, result)
            _add(total, {"skipped_unchanged": result.skipped, **result.counts})
    return dg.MaterializeResult(
        metadata={"sessions": _label(_sessions(context)), "unplaced_files_rejected": unplaced, **total}
    )


@dg.asset(
    key=["staging", "resolutions"],
    deps=[raw_documents],
    partitions_def=ga_session,
    backfill_policy=SINGLE_RUN,
    pool=WAREHOUSE_POOL,
    group_name="ingest",
    kinds={"duckdb", "python", "polars"},
    description="Every document parsed (AKN4UN XML, DGACM metadata) into staging tables; reissues and "
                "duplicates are kept and ranked, one text per symbol is marked current.",
)
def staging_resolutions(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    total: dict = {}
    with duckdb.get_connection() as con:
        db.ensure_schema(con)
        for session in _sessions(context):
            result = pipeline.build_staging(con, session, force=_force(context))
            _tell(context, session, result)
            _add(total, {"skipped_unchanged": result.skipped, **result.counts})
    return dg.MaterializeResult(metadata={"sessions": _label(_sessions(context)), **total})


def _materialized(context, con, step: str, sessions: list[int] | None, skipped: bool):
    """One MaterializeResult per model of the step, with its rows; a table over all sessions
    also with its data version, the version its rows were built at (raw.model_state), so
    Dagster's staleness and the build's agree."""
    versions = steps.recorded(con)
    for m in REGISTRY.step(step):
        if m.public:
            version = None if m.partitioned else versions.get((m.name, None))
            yield dg.MaterializeResult(asset_key=MODEL_KEYS[m.name],
                                       metadata=_rows(con, m.name, sessions if m.partitioned else None, skipped),
                                       data_version=dg.DataVersion(version) if version else None)


def _session_step(step: str, name: str, build, description: str, group: str | None = None):
    """The multi-asset of one per-session step: every model of the step, built by ``build``
    (a warehouse.pipeline function) for each session of the run."""
    @dg.multi_asset(specs=_specs(step, group), partitions_def=ga_session, backfill_policy=SINGLE_RUN,
                    pool=WAREHOUSE_POOL, name=name, description=description)
    def _step(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
        sessions = _sessions(context)
        with duckdb.get_connection() as con:
            db.ensure_schema(con)
            skipped = all([_tell(context, session, build(con, session, force=_force(context))).skipped
                           for session in sessions])
            yield from _materialized(context, con, step, sessions, skipped)

    return _step


core_star_schema = _session_step("core", "core_star_schema", pipeline.build_core,
                                 "Rebuild the star schema of one session from staging (the models of step core).")
core_dimensions = _session_step("enrich", "core_dimensions", pipeline.build_enrich,
                                "Tag one session's paragraphs with themes, actors and instruments "
                                "(transforms/themes, actors, instruments).", group="core")
session_marts = _session_step("session", "session_marts", pipeline.build_marts,
                              "Rebuild one session's rows of the trend marts (the models of step session).")


@dg.multi_asset(specs=_specs("global"), name="global_marts", pool=WAREHOUSE_POOL)
def global_marts(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    """Judge how whole each session and year is, roll the session marts up by year and by session, and trace
    the lineage of recurring resolutions (all sessions)."""
    with duckdb.get_connection() as con:
        db.ensure_schema(con)
        result = _tell(context, None, pipeline.build_global_marts(con, force=_force(context)))
        yield from _materialized(context, con, "global", None, result.skipped)


SNAPSHOT_KEY = dg.AssetKey(["published", "snapshot"])
# One asset check per Great Expectations suite (expectations/suites.py). The suites run
# inside the snapshot asset, on the file about to be published, because a blocking
# failure must stop that very publication; their results are reported as these checks.
SUITE_CHECKS = [
    dg.AssetCheckSpec(name=f"suite_{suite.name}", asset=SNAPSHOT_KEY, blocking=suite.blocking,
                      description=suite.description)
    for suite in SUITES
]


@dg.asset(
    key=SNAPSHOT_KEY,
    deps=list(MODEL_KEYS.values()),
    group_name="publish",
    kinds={"duckdb"},
    check_specs=SUITE_CHECKS,
    pool=WAREHOUSE_POOL,
    description="Read-only DuckDB snapshot of the public schemas for SQL and BI, replaced atomically and only "
                "when every blocking check passes over the whole warehouse and every blocking Great "
                "Expectations suite passes on the written file. Writes the quality report and Data Docs.",
)
def published_snapshot(context: dg.AssetExecutionContext, unga: UngaPaths, duckdb: DuckDBResource):
    paths = unga.paths
    landed = {s.session for s in scan_landing(paths.landing) if s.session is not None}
    with duckdb.get_connection() as con:
        db.ensure_schema(con)
        for session in pipeline.loaded_sessions(con):
            if session not in landed:
                context.log.info(f"session {session} is no longer in landing: removed")
                pipeline.drop_session(con, session)
        info = pipeline.build_info(sorted(landed), context.run.run_id, "dagster")
        record = context.instance.get_run_record_by_id(context.run.run_id)
        run = {"finished_at": pipeline.now().isoformat(timespec="seconds"), "sessions": sorted(landed),
               "started": record.start_time if record is not None else None,
               "via": f"dagster run {context.run.run_id}"}
        # Checks, then suites; resolutions whose rows break a rule are held back and their
        # sessions rebuilt from core on, inside this step (warehouse/holdback.py).
        outcome = publish_and_report(con, paths, sorted(landed), info, run, _say(context),
                                     force=_force(context))
    links = {}
    if outcome.data_docs:
        links["data_docs"] = dg.MetadataValue.path(str(outcome.data_docs))
    if outcome.report:
        links["quality_report"] = dg.MetadataValue.path(str(outcome.report.html))
    if outcome.suites is not None:
        for suite in outcome.suites.suites:
            yield _suite_check(suite, links)
    if outcome.status != "published":
        raise dg.Failure(description=outcome.message,
                         metadata={**{k: v.height for k, v in outcome.failures.items()}, **links})
    yield dg.MaterializeResult(
        asset_key=SNAPSHOT_KEY,
        metadata={
            "path": dg.MetadataValue.path(str(paths.snapshot)),
            "rewritten": not outcome.unchanged,
            "tables": len(outcome.counts),
            "resolutions": outcome.counts.get("core.dim_resolution", 0),
            "held_back": outcome.held_back.height if outcome.held_back is not None else 0,
            "paragraphs": outcome.counts.get("core.fact_paragraph", 0),
            **links,
        },
    )


def _suite_check(suite, links: dict) -> dg.AssetCheckResult:
    """A suite's outcome as the result of its asset check (a skipped suite passes, saying why)."""
    failures = "\n".join(f"- {e.short()}" for e in suite.failures[:20])
    return dg.AssetCheckResult(
        asset_key=SNAPSHOT_KEY,
        check_name=f"suite_{suite.name}",
        passed=bool(suite.skipped or suite.success),
        severity=dg.AssetCheckSeverity.ERROR if suite.blocking else dg.AssetCheckSeverity.WARN,
        metadata={
            "expectations": suite.evaluated,
            "failed": suite.unsuccessful,
            "skipped": suite.skip_reason or "no",
            "failures": dg.MetadataValue.md(failures or "none"),
            **links,
        },
    )
