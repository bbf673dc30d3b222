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
from warehouse import db, pipeline, progress

CORE_TABLES = {
    "dim_session": "GA sessions loaded, with the window of dates their resolutions may carry.",
    "dim_resolution": "One row per adopted resolution (parts A/B are separate), with its adoption, committee, "
                      "agenda, vote and whether DGACM's metadata covers it.",
    "fact_paragraph": "The fact table: every preambular, operative and annex paragraph in document order, "
                      "text as printed with footnotes taken out.",
    "fact_subparagraph": "Sub-paragraphs (a), (b), (i) and tables under their paragraph, in order.",
    "fact_footnote": "Footnotes with their marker, text and the paragraph they annotate.",
    "bridge_paragraph_citation": "Every undocs.org link, per paragraph: the documents a paragraph cites.",
    "bridge_resolution_sponsor": "Sponsors and additional sponsors of each resolution.",
    "bridge_resolution_vote": "Each State's vote on resolutions adopted by recorded vote.",
    "bridge_resolution_keyword": "Subject keywords (UNBIS, EuroVoc, DHLAUTH) the XML assigns.",
    "metadata_discrepancy": "Fields where the XML and DGACM's metadata disagree, both values kept.",
    "manifest": "Reconciliation of the XML against DGACM's metadata, symbol by symbol.",
    "text_reconciliation": "Resolutions that arrived both as XML and as text from a PDF: how far the text agrees "
                           "with the canonical XML.",
    "text_reconciliation_paragraph": "The text-versus-XML comparison paragraph by paragraph, with a word diff.",
    "text_reconciliation_footnote": "The text-versus-XML comparison footnote by footnote.",
}
DIMENSION_TABLES = {
    "dim_theme": "Crime themes aligned to the ICCS and SDG targets (transforms/reference/themes.yaml).",
    "bridge_paragraph_theme": "Paragraph -> theme, with the number of mentions and the matched text and positions.",
    "dim_actor": "Member and observer States (M49, ISO 3166), UN organs and entities, other organizations and "
                 "collective addressees (transforms/reference/actors.csv).",
    "bridge_paragraph_actor": "Paragraph -> actor: who is asked to act (addressee) and who is merely mentioned.",
    "bridge_resolution_actor": "Resolution -> State: sponsors, additional sponsors and recorded votes.",
    "dim_instrument": "Named instruments (conventions, protocols, standards, declarations) and cited documents.",
    "bridge_paragraph_instrument": "Paragraph -> instrument it cites, with the relation read from its lead phrase.",
}
CORE_KEYS = {name: dg.AssetKey(["core", name]) for name in (*CORE_TABLES, *DIMENSION_TABLES)}
MANDATES_KEY = dg.AssetKey(["marts", "mandates"])


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


def _rows(con, table: str, sessions: list[int] | None, skipped: bool) -> dict:
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


@dg.multi_asset(
    specs=[
        dg.AssetSpec(CORE_KEYS[name], description=text, deps=[staging_resolutions], group_name="core",
                     kinds={"duckdb", "sql"})
        for name, text in CORE_TABLES.items()
    ],
    partitions_def=ga_session,
    backfill_policy=SINGLE_RUN,
    pool=WAREHOUSE_POOL,
    name="core_star_schema",
)
def core_star_schema(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    """Rebuild the star schema of one session from staging (warehouse/sql/core/*.sql)."""
    sessions = _sessions(context)
    with duckdb.get_connection() as con:
        db.ensure_schema(con)
        skipped = all([_tell(context, session, pipeline.build_core(con, session, force=_force(context))).skipped
                       for session in sessions])
        for name in CORE_TABLES:
            yield dg.MaterializeResult(asset_key=CORE_KEYS[name],
                                       metadata=_rows(con, f"core.{name}", sessions, skipped))


@dg.multi_asset(
    specs=[
        *(dg.AssetSpec(CORE_KEYS[name], description=text, deps=[CORE_KEYS["fact_paragraph"]], group_name="core",
                       kinds={"duckdb", "polars"})
          for name, text in DIMENSION_TABLES.items()),
        dg.AssetSpec(MANDATES_KEY, deps=[CORE_KEYS["bridge_paragraph_actor"]], group_name="marts",
                     kinds={"duckdb", "polars"},
                     description="Operative paragraphs that request or direct a UN entity to act: entity, verb, "
                                 "action, whether a report is requested and for which session."),
    ],
    partitions_def=ga_session,
    backfill_policy=SINGLE_RUN,
    pool=WAREHOUSE_POOL,
    name="core_dimensions",
)
def core_dimensions(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    """Tag one session's paragraphs with themes, actors and instruments (transforms/themes, actors, instruments)."""
    sessions = _sessions(context)
    with duckdb.get_connection() as con:
        db.ensure_schema(con)
        skipped = all([_tell(context, session, pipeline.build_enrich(con, session, force=_force(context))).skipped
                       for session in sessions])
        for name in DIMENSION_TABLES:
            yield dg.MaterializeResult(
                asset_key=CORE_KEYS[name],
                metadata=_rows(con, f"core.{name}", None if name.startswith("dim_") else sessions, skipped))
        yield dg.MaterializeResult(asset_key=MANDATES_KEY, metadata=_rows(con, "marts.mandates", sessions, skipped))


SESSION_MARTS = {
    "theme_trend_by_year": "Every theme per year and session: resolutions, paragraphs and mentions, preambular vs "
                           "operative, with shares of all that was adopted; zeros kept so gaps show.",
    "theme_verb_by_year": "The operative verbs that carry each theme, per year and session.",
    "operative_verb_by_year": "The mix of operative verbs per year and session, ranked.",
    "instrument_citations_by_year": "Instruments and documents cited per year and session, ranked by the "
                                    "resolutions citing them.",
    "citation_edges": "The citation network: resolution -> cited document, with the number of links.",
    "mandates_by_entity_year": "Mandates per UN entity, year and session, with the reports requested.",
}
GLOBAL_MARTS = {
    "period_coverage": "How much of each GA session and calendar year is loaded: resolutions loaded, known to be "
                       "missing and uncertain, coverage, whether the period is complete and, if not, why.",
    "environmental_crime_trend": "Environmental crime and its sub-themes per calendar year, every year shown "
                                 "(zeros included), with the resolutions behind each number.",
    "environmental_crime_trend_by_session": "Environmental crime and its sub-themes per GA session, every session "
                                            "shown (zeros included), with the session's coverage.",
    "theme_trend_by_session": "Every theme per GA session, with shares of all that was adopted in the session.",
    "theme_verb_by_session": "The operative verbs that carry each theme, per GA session.",
    "operative_verb_by_session": "The mix of operative verbs per GA session, ranked.",
    "instrument_citations_by_session": "Instruments and documents cited per GA session, ranked.",
    "mandates_by_entity_session": "Mandates per UN entity and GA session, with the reports requested.",
    "instrument_citation_span": "When each instrument is cited: first and last year, years and resolutions.",
    "series": "Recurring resolutions grouped into series, with each member's predecessor.",
    "series_step": "Between consecutive adoptions of a series: paragraphs unchanged, changed, new and dropped.",
    "paragraph_lineage": "Each paragraph matched to its predecessor, with similarity and a word-level diff.",
    "new_language_by_year": "New and reworded paragraphs of recurring resolutions per year and theme.",
    "new_language_by_session": "New and reworded paragraphs of recurring resolutions per GA session and theme.",
}
MART_KEYS = {name: dg.AssetKey(["marts", name]) for name in (*SESSION_MARTS, *GLOBAL_MARTS)}
_MART_INPUTS = {
    "theme_trend_by_year": ["fact_paragraph", "bridge_paragraph_theme", "dim_theme", "dim_resolution"],
    "theme_verb_by_year": ["fact_paragraph", "bridge_paragraph_theme"],
    "operative_verb_by_year": ["fact_paragraph"],
    "instrument_citations_by_year": ["bridge_paragraph_instrument", "dim_instrument", "fact_paragraph"],
    "citation_edges": ["bridge_paragraph_citation", "dim_resolution"],
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(MART_KEYS[name], description=text, group_name="marts", kinds={"duckdb", "sql"},
                     deps=[CORE_KEYS[d] for d in _MART_INPUTS[name]] if name in _MART_INPUTS else [MANDATES_KEY])
        for name, text in SESSION_MARTS.items()
    ],
    partitions_def=ga_session,
    backfill_policy=SINGLE_RUN,
    pool=WAREHOUSE_POOL,
    name="session_marts",
)
def session_marts(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    """Rebuild one session's rows of the trend marts (warehouse/sql/marts/build_session.sql)."""
    sessions = _sessions(context)
    with duckdb.get_connection() as con:
        db.ensure_schema(con)
        skipped = all([_tell(context, session, pipeline.build_marts(con, session, force=_force(context))).skipped
                       for session in sessions])
        for name in SESSION_MARTS:
            yield dg.MaterializeResult(asset_key=MART_KEYS[name],
                                       metadata=_rows(con, f"marts.{name}", sessions, skipped))


@dg.multi_asset(
    specs=[
        dg.AssetSpec(MART_KEYS[name], description=text, group_name="marts", kinds={"duckdb", "sql", "polars"},
                     deps=[*(MART_KEYS[n] for n in SESSION_MARTS), CORE_KEYS["fact_paragraph"],
                           CORE_KEYS["bridge_paragraph_citation"], CORE_KEYS["manifest"]])
        for name, text in GLOBAL_MARTS.items()
    ],
    name="global_marts",
    pool=WAREHOUSE_POOL,
)
def global_marts(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    """Judge how whole each session and year is, roll the session marts up by year and by session, and trace
    the lineage of recurring resolutions (all sessions)."""
    with duckdb.get_connection() as con:
        db.ensure_schema(con)
        result = _tell(context, None, pipeline.build_global_marts(con, force=_force(context)))
        for name in GLOBAL_MARTS:
            rows = con.execute(f"SELECT count(*) FROM marts.{name}").fetchone()[0]
            yield dg.MaterializeResult(asset_key=MART_KEYS[name],
                                       metadata={"rows": rows, "skipped_unchanged": result.skipped})


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
    deps=[*CORE_KEYS.values(), MANDATES_KEY, *MART_KEYS.values()],
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
