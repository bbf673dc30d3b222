"""Build the warehouse session by session: raw -> staging -> core -> enrich -> marts, then
the marts over all sessions and the checks.

These functions are what the Dagster assets call, and what ``unga build`` and the
benchmark call without Dagster. The raw and staging layers are warehouse/ingest.py's;
from core on, the tables are the models of warehouse/models (warehouse/registry.py),
and their versions, recorded per model in raw.model_state, decide what is rebuilt
(warehouse/steps.py). Each step of a session is replaced in one transaction, so a
crash leaves the previous state, and an unchanged session is skipped at almost no cost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl

from transforms import extract, parallel
from transforms.actors import load_actors, resolution_actors
from transforms.coverage import calendar_phase, coverage
from transforms.discover import SourceFile, scan_landing
from transforms.instruments import load_registry
from transforms.lineage import detect_series
from transforms.themes import load_taxonomy
from warehouse import db, steps
from transforms.memory import release_freed_memory
from warehouse.ingest import (  # noqa: F401  (the raw and staging layers: part of this module's API)
    RECONCILIATION_TABLES,
    STAGING_CODE,
    STAGING_TABLES,
    build_staging,
    document_id,
    landing_sessions,
    load_raw,
    raw_fingerprint,
    reconcile_text_versions,
    record_unplaced,
    session_documents,
    staging_version,
)
from warehouse.registry import CALENDAR, load_checks, registry
from warehouse.steps import LayerResult, now
from warehouse.steps import invalidate_after as _invalidate_downstream
from warehouse.steps import layer_state as _state
from warehouse.steps import set_layer_state as _set_state

# The structural checks, one file each under warehouse/sql/checks (its header says the
# table it guards and whether it blocks): blocking ones, and those that only report.
CHECKS = tuple(c.name for c in load_checks() if c.blocking)
WARNING_CHECKS = tuple(c.name for c in load_checks() if not c.blocking)
# Checked in Python before publishing: every landed session is built (see unbuilt_sessions).
SESSIONS_BUILT = "sessions_built"
# Which load_state layer marks a step of a session as built (read by unbuilt_sessions,
# loaded_sessions and the quality report).
_STEP_LAYER = {"core": "core", "enrich": "enrich", "session": "marts"}
# The layer each step reads, and what a build says when it is missing.
_REQUIRES = {"core": ("staging", "staging layer not built"), "enrich": ("core", "core layer not built"),
             "session": ("enrich", "enrichment not built")}

Progress = Callable[[str], None]


def _noop(_: str) -> None:
    pass


# SQL that reads the published snapshot and never builds anything: editing it must not
# re-parse the corpus or rewrite the snapshot.
_READER_SQL = (db.SQL_ROOT / "dashboard").resolve()


def _builds(path: Path) -> bool:
    return "__pycache__" not in path.parts and not path.resolve().is_relative_to(_READER_SQL)


def code_version() -> str:
    """One hash of everything a build runs: the parsers and every model's code version
    (what ops.build_info records; what is rebuilt is decided model by model)."""
    return hashlib.sha256("\n".join([staging_version(), *(f"{n}={m.code_version}" for n, m in
                                                          sorted(registry().models.items()))]).encode()
                          ).hexdigest()[:16]


# What the publication adds to the warehouse's contents: the publisher, search, exports,
# the codebook (comments) and the suites that gate it.
_PUBLISH_ROOTS = (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "expectations")


def warehouse_state(con) -> str:
    """A fingerprint of everything the published snapshot is made from.

    The rows of every public table (a hash of each row, summed per table: ~0.1 s for the
    bundled corpus), the quarantine and the metadata problems (without their times), the
    fingerprints of every layer, the reference files and the code of the publisher and
    the suites. When it equals the one the snapshot was written with, writing the
    snapshot again would produce the same file, so a build keeps it. Hashing the rows,
    not only trusting the layers' fingerprints, means a change made to the warehouse by
    any other route is published too.
    """
    h = hashlib.sha256()
    h.update(code_version().encode())
    for root in _PUBLISH_ROOTS:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".sql", ".yaml") and _builds(path) and path.is_file():
                h.update(path.relative_to(root.parent).as_posix().encode())
                h.update(path.read_bytes())
    for sql in ("SELECT session, layer, fingerprint FROM raw.load_state ORDER BY ALL",
                "SELECT session, model, version FROM raw.model_state ORDER BY ALL",
                "SELECT session, source_path, member, sha256, format, stage, reason FROM raw.rejected ORDER BY ALL",
                "SELECT session, symbol, rule, reason, failing_rows, sample FROM raw.held_back ORDER BY ALL"):
        h.update(repr(con.execute(sql).fetchall()).encode())
    tables = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name IN ('core', 'marts') ORDER BY ALL").fetchall()
    # Names from the catalogue of our own DDL, not from users.
    parts = [f"SELECT '{schema}.{table}', count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM {schema}.\"{table}\" t"
             for schema, table in tables]
    parts.append("SELECT 'staging.metadata_problem', count(*), coalesce(sum(hash(session, line_number, symbol, "
                 "problem, raw)::HUGEINT), 0) FROM staging.metadata_problem")
    h.update(repr(con.execute(" UNION ALL ".join(parts) + " ORDER BY 1").fetchall()).encode())
    return h.hexdigest()[:32]


# What decides whether a resolution breaks a rule: the structural checks, the suites and
# the codebook they are generated from. A change to any of them releases every held-back
# resolution, so the next build judges it by the new rules.
_RULE_ROOTS = (db.SQL_ROOT / "checks", Path(__file__).resolve().parent.parent / "expectations")
_CODEBOOK = Path(__file__).resolve().parent / "codebook.yaml"


def rules_version() -> str:
    """A hash of the rules that hold resolutions back (see warehouse/holdback.py)."""
    h = hashlib.sha256()
    for root in _RULE_ROOTS:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".sql") and "__pycache__" not in path.parts:
                h.update(path.name.encode())
                h.update(path.read_bytes())
    h.update(_CODEBOOK.read_bytes())
    return h.hexdigest()[:16]


def held_fingerprint(con, session: int, rules: str | None = None) -> str:
    """The resolutions of a session held back under the current rules, as part of core's
    fingerprint: holding one back (or releasing it) rebuilds the session from core on.
    Empty when none is held, so a session without holds keeps its fingerprint."""
    rows = con.execute("SELECT DISTINCT symbol FROM raw.held_back WHERE session = ? AND rules_version = ? "
                       "ORDER BY symbol", [session, rules or rules_version()]).fetchall()
    if not rows:
        return ""
    return ":held-" + hashlib.sha256("\n".join(r[0] for r in rows).encode()).hexdigest()[:16]


def check_reason(name: str) -> str:
    """What a structural check means, in words: the leading comment of its SQL file."""
    return {c.name: c.description for c in load_checks()}[name]


def source_version(con, sessions: list[int]):
    """The versions of what the models read but do not build, for Registry.expected: the
    staging layer of a session, its held-back resolutions, and the calendar."""
    rules = rules_version()
    phase = repr(calendar_phase(now().date()))
    staging = {s: _state(con, s, "staging") or "" for s in sessions}
    held = {s: held_fingerprint(con, s, rules) for s in sessions}

    def version(name: str, session: int | None) -> str:
        if name == CALENDAR:
            return phase
        table = held if name == "raw.held_back" else staging
        if session is None:
            return hashlib.sha256(repr(sorted(table.items())).encode()).hexdigest()[:16]
        return table.get(session, "")
    return version


def expected_versions(con, sessions: list[int] | None = None) -> dict:
    """What every model's version must be now, for these sessions (default: every loaded one)."""
    sessions = loaded_sessions(con) if sessions is None else sessions
    return registry().expected(source_version(con, sessions), sessions)


def pending_work(con, sessions: list[int], sources: list[SourceFile]) -> list[str]:
    """What a build of ``sessions`` would do, as "session 78: staging", "global marts"...

    Empty when every layer of every session, and the marts over all sessions, would be
    skipped as unchanged: the same conditions the steps test, without running them.
    """
    todo = []
    parsers = staging_version()
    fresh: set[int] = set()
    for session in sessions:
        raw = raw_fingerprint(session, sources)
        for layer, fp in (("raw", raw), ("staging", f"{raw}:{parsers}")):
            if _state(con, session, layer) != fp:
                todo.append(f"session {session}: {layer}")
                fresh.add(session)
    stale_sessions = sorted(set(loaded_sessions(con)) - set(sessions))
    todo += [f"session {s}: remove" for s in stale_sessions]
    reg = registry()
    expected = expected_versions(con, sorted(sessions))
    have = steps.recorded(con)
    for session in sessions:
        for step, layer in _STEP_LAYER.items():
            if session in fresh or steps.stale(reg, step, session, expected, have) \
                    or _state(con, session, layer) is None:
                todo.append(f"session {session}: {layer}")
    if fresh or stale_sessions or steps.stale(reg, "global", None, expected, have):
        todo.append("global marts")
    return todo


# -- the models, step by step (warehouse/models, warehouse/registry.py) -------------------
def _run_session_step(con, step: str, session: int, force: bool, python=None) -> tuple[bool, dict]:
    """Rebuild what is stale of one step of a session, in one transaction.

    core and enrich are rebuilt whole when any of their models is stale (their tables are
    made together: one parse's temporary tables, one extraction pass); the session marts
    model by model, each with what depends on it. Returns (skipped, counts).
    """
    layer = _STEP_LAYER[step]
    before, missing = _REQUIRES[step]
    if _state(con, session, before) is None:
        raise RuntimeError(f"session {session}: {missing}")
    reg = registry()
    expected = expected_versions(con, sorted({*loaded_sessions(con), session}))
    todo = steps.stale(reg, step, session, expected, steps.recorded(con))
    if not force and not todo and _state(con, session, layer) is not None:
        return True, {}
    whole = force or step in ("core", "enrich") or _state(con, session, layer) is None
    models = [m for m in reg.step(step)] if whole else steps.needed(reg, step, todo)
    counts: dict = {}
    with db.transaction(con):
        if step == "core":
            # Holds made under other rules are released: the resolution is judged again.
            con.execute("DELETE FROM raw.held_back WHERE session = ? AND rules_version <> ?",
                        [session, rules_version()])
        for m in models:
            if m.public and m.partitioned:
                steps.clear_rows(con, m, session)
        if python is not None:
            counts.update(python())
        for m in models:
            steps.run_build(con, m, session)
        if step == "core":
            db.run_sql_file(con, "core/link_citations.sql")
        # What reads these models is built again; then the models record the versions they were built at.
        steps.forget_downstream(con, [m.name for m in models if m.public], session, reg)
        for m in models:
            if m.public:
                steps.record(con, m, session, expected[(m.name, session if m.partitioned else None)])
        _set_state(con, session, layer, steps._hash(expected[(m.name, session if m.partitioned else None)]
                                                     for m in reg.step(step) if m.public))
        if step == "core":
            _invalidate_downstream(con, session, "core")
    return False, counts


def build_core(con, session: int, force: bool = False) -> LayerResult:
    """The star schema of one session from staging: the models of step core."""
    skipped, _ = _run_session_step(con, "core", session, force)
    if skipped:
        return LayerResult(session, "core", True)
    counts = dict(
        con.execute(
            "SELECT 'resolutions', count(*) FROM core.dim_resolution WHERE session = $s "
            "UNION ALL SELECT 'paragraphs', count(*) FROM core.fact_paragraph WHERE session = $s "
            "UNION ALL SELECT 'footnotes', count(*) FROM core.fact_footnote WHERE session = $s "
            "UNION ALL SELECT 'citations', count(*) FROM core.bridge_paragraph_citation WHERE session = $s",
            {"s": session},
        ).fetchall()
    )
    return LayerResult(session, "core", False, counts)


# -- enrichment: themes, actors, instruments, mandates -------------------------------
def load_dimensions(con) -> dict[str, int]:
    """Rewrite the dimensions that come from reference files (themes, actors, named instruments)."""
    registry = load_registry().select(
        "instrument_id", pl.col("type").alias("instrument_type"), "name",
        pl.col("year").cast(pl.Int32), pl.lit("registry").alias("source"))
    counts = {}
    con.execute("DELETE FROM core.dim_theme")
    counts["dim_theme"] = db.insert_frame(con, "core.dim_theme", load_taxonomy())
    con.execute("DELETE FROM core.dim_actor")
    counts["dim_actor"] = db.insert_frame(con, "core.dim_actor", load_actors())
    con.execute("DELETE FROM core.dim_instrument WHERE source = 'registry'")
    counts["dim_instrument"] = db.insert_frame(con, "core.dim_instrument", registry)
    return counts


def _insert_paragraph_bridge(con, table: str, frame: pl.DataFrame, session: int) -> int:
    """Insert a bridge keyed by paragraph, computing the paragraph key as core does."""
    return db.insert_query(con, frame, f"INSERT INTO {db._table_name(table)} BY NAME SELECT paragraph_key_of("
                           "symbol, paragraph_kind, paragraph_ordinal) AS paragraph_key, ? AS session, * "
                           "FROM _incoming", [session])


def extraction_inputs(con, session: int) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """A session's paragraphs, footnotes and citations, with the columns the extractors read."""
    q = lambda sql: con.execute(sql, [session]).pl()  # noqa: E731
    return (
        q("SELECT symbol, kind, ordinal, number, lead_phrase, text FROM core.fact_paragraph WHERE session = ?"),
        q("SELECT symbol, paragraph_kind, paragraph_ordinal, marker, text FROM core.fact_footnote WHERE session = ?"),
        q("SELECT symbol, paragraph_kind, paragraph_ordinal, target_symbol FROM core.bridge_paragraph_citation "
          "WHERE session = ?"),
    )


def build_enrich(con, session: int, force: bool = False) -> LayerResult:
    """Tie a session's paragraphs to themes, actors and instruments, and list its mandates
    (the models of step enrich, written by the extractors of transforms/)."""

    def extract_and_write() -> dict:
        q = lambda sql: con.execute(sql, [session]).pl()  # noqa: E731
        paragraphs, footnotes, citations = extraction_inputs(con, session)
        sponsors = q("SELECT symbol, role, position, sponsor FROM core.bridge_resolution_sponsor WHERE session = ?")
        votes = q("SELECT symbol, vote, state FROM core.bridge_resolution_vote WHERE session = ?")
        found = extract.extract(paragraphs, footnotes, citations)  # over the worker processes
        mandate_rows = found["mandates"].select(
            "symbol", "paragraph_ordinal", "number", "actor_id", "entity", "verb", "action", "report_requested",
            "report_session", "report_to")
        actors = found["actors"].select("symbol", "paragraph_kind", "paragraph_ordinal", "actor_id", "role", "verb",
                                        "matched_text", "position")
        by_resolution = resolution_actors(sponsors, votes).select("symbol", "actor_id", "role", "name_as_written")
        instruments = found["instruments"].select("symbol", "paragraph_kind", "paragraph_ordinal", "instrument_id",
                                                  "instrument_type", "relation", "via", "matched_text", "cited_date")
        counts = load_dimensions(con)
        counts["bridge_paragraph_theme"] = _insert_paragraph_bridge(
            con, "core.bridge_paragraph_theme", found["themes"], session)
        counts["bridge_paragraph_actor"] = _insert_paragraph_bridge(con, "core.bridge_paragraph_actor", actors, session)
        counts["bridge_paragraph_instrument"] = _insert_paragraph_bridge(
            con, "core.bridge_paragraph_instrument", instruments, session)
        counts["bridge_resolution_actor"] = db.insert_query(
            con, by_resolution, "INSERT INTO core.bridge_resolution_actor BY NAME SELECT resolution_key_of(symbol) "
            "AS resolution_key, ? AS session, * FROM _incoming", [session])
        counts["mandates"] = db.insert_query(
            con, mandate_rows, "INSERT INTO marts.mandates BY NAME SELECT m.*, ? AS session, r.year FROM _incoming m "
            "LEFT JOIN core.dim_resolution r USING (symbol)", [session])
        return counts

    skipped, counts = _run_session_step(con, "enrich", session, force, python=extract_and_write)
    if not skipped:
        release_freed_memory()  # the session's paragraphs and extractions, freed: back to the OS
    return LayerResult(session, "enrich", skipped, counts)


# -- marts ---------------------------------------------------------------------------
# The marts of each step, as the models declare them (warehouse/models/marts).
SESSION_MARTS = registry().names("session")
GLOBAL_MARTS = registry().names("global")


def build_marts(con, session: int, force: bool = False) -> LayerResult:
    """Rebuild the per-session marts of one session that are stale (the models of step session)."""
    skipped, _ = _run_session_step(con, "session", session, force)
    if skipped:
        return LayerResult(session, "marts", True)
    counts = {t: con.execute(f"SELECT count(*) FROM marts.{t} WHERE session = ?", [session]).fetchone()[0]
              for t in registry().names("session")}
    return LayerResult(session, "marts", False, counts)


def build_global_marts(con, force: bool = False) -> LayerResult:
    """Rebuild the marts over all sessions that are stale, and what depends on them.

    The by-year marts' coverage (their finish sections), the rollups by session, the
    period coverage and the series lineage (the models of step global). A mart whose own
    SQL changed is rebuilt with what reads it, and nothing upstream.
    """
    reg = registry()
    sessions = loaded_sessions(con)
    expected = expected_versions(con, sessions)
    todo = reg.step("global") if force else steps.stale(reg, "global", None, expected, steps.recorded(con))
    if not todo:
        return LayerResult(0, "global_marts", True)
    models = steps.needed(reg, "global", todo)
    built: set[str] = set()
    with db.transaction(con):
        for m in models:
            if m.builder and m.builder not in built:
                group = [g for g in reg.by_builder(m.builder)]
                for g in group:
                    steps.clear_rows(con, g, None)
                _GLOBAL_BUILDERS[m.builder](con)
                release_freed_memory()  # the builder's frames (the lineage's batches), freed
                built.add(m.builder)
                # The builder wrote its whole group: what reads any of them is rebuilt too.
                models += [x for x in steps.needed(reg, "global", group) if x not in models]
            elif not m.builder:
                if m.public:
                    steps.clear_rows(con, m, None)
                steps.run_build(con, m, None)
        models.sort(key=lambda x: reg.order.index(x.name))
        for m in models:
            if not m.ephemeral:
                steps.record(con, m, None, expected[(m.name, None)])
    counts = {m.table: con.execute(f"SELECT count(*) FROM {m.schema}.{m.table}").fetchone()[0]
              for m in models if m.public}
    return LayerResult(0, "global_marts", False, counts)


def _write_period_coverage(con) -> None:
    db.insert_frame(con, "marts.period_coverage", period_coverage(con, now().date()))


def _write_series_lineage(con) -> None:
    resolutions = con.execute(
        "SELECT symbol, base_symbol, part, session, year, adopted_on, title, agenda_item_name, committee "
        "FROM core.dim_resolution").pl()
    citations = con.execute(
        "SELECT symbol, paragraph_kind, paragraph_ordinal, target_symbol FROM core.bridge_paragraph_citation").pl()
    series = detect_series(resolutions, citations)
    db.insert_frame(con, "marts.series", series)
    step_frames = []
    # The alignment is Polars work in the worker processes; DuckDB here only reads each
    # batch's paragraphs and appends its rows, so its cache of the warehouse is given up
    # for the while rather than held beside the workers' peak (the build's highest).
    with db.cache_capped(con, LINEAGE_DUCKDB_MEMORY):
        for batch_steps, lineage in _series_lineage(con, series):
            step_frames.append(batch_steps)
            db.insert_frame(con, "marts.paragraph_lineage", lineage)
    if step_frames:
        db.insert_frame(con, "marts.series_step", pl.concat(step_frames, how="vertical_relaxed"))


# The Python builders a model's header may name (`-- builder:`) in the global step.
_GLOBAL_BUILDERS = {"period_coverage": _write_period_coverage, "series_lineage": _write_series_lineage}


def period_coverage(con, as_of: dt.date) -> pl.DataFrame:
    """marts.period_coverage as of a day: how much of each session and calendar year is loaded."""
    known = db.query_file(con, "marts/coverage_inputs.sql")
    sessions = [r[0] for r in con.execute("SELECT session FROM core.dim_session ORDER BY 1").fetchall()]
    return coverage(known, sessions, as_of)


# DuckDB's cap while the series lineage runs. Each batch's statements are a scan of
# core.fact_paragraph for its members (a few MB of results) and one append of its rows, and
# each batch reads other paragraphs, so a larger cache is not reused; 128MB keeps the
# columns the scans filter on (symbol) cached and leaves the appends room before they spill.
LINEAGE_DUCKDB_MEMORY = "128MB"
LINEAGE_BATCH_MEMBERS = 400  # resolutions per batch (whole series): bounds the paragraphs in memory


def _series_lineage(con, series: pl.DataFrame):
    """(steps, paragraph lineage) of the series, batch by batch, over the worker processes.

    A batch holds whole series, about LINEAGE_BATCH_MEMBERS resolutions, and reads only
    their paragraphs; the workers get one wave of batches at a time, so memory grows with
    the batch, not with the corpus (or the length of a series). The steps come out in the
    order of ``series``.
    """
    sizes = series.group_by("series_id", maintain_order=True).len() if series.height else None
    groups: list[list] = []
    members = 0
    for series_id, size in (sizes.iter_rows() if sizes is not None else []):
        if not groups or members + size > LINEAGE_BATCH_MEMBERS:
            groups.append([])
            members = 0
        groups[-1].append(series_id)
        members += size

    def batches():
        for group in groups:
            part = series.filter(pl.col("series_id").is_in(group))
            symbols = sorted(set(part["symbol"].to_list()) | set(part["predecessor_symbol"].drop_nulls().to_list()))
            paragraphs = con.execute(
                "SELECT symbol, kind, ordinal, number, lead_phrase, text FROM core.fact_paragraph "
                "WHERE symbol IN (SELECT unnest(?::VARCHAR[]))", [symbols]).pl()
            yield part, paragraphs

    pending = batches()
    while wave := list(itertools.islice(pending, parallel.workers())):
        yield from parallel.map_ordered(extract.lineage_batch, wave)


def unbuilt_sessions(con, landed: list[int]) -> pl.DataFrame:
    """Landed sessions whose marts are not built: publishing now would leave them out."""
    built = {r[0] for r in con.execute("SELECT session FROM raw.load_state WHERE layer = 'marts'").fetchall()}
    missing = [s for s in landed if s not in built]
    return pl.DataFrame({"session": missing, "problem": ["landed but not built"] * len(missing)},
                        schema={"session": pl.Int64, "problem": pl.Utf8})


def build_info(sessions: list[int], run_id: str, via: str) -> dict:
    """What ops.build_info records about the build that publishes (the same for both ways to run)."""
    return {"sessions": ",".join(map(str, sessions)), "code_version": code_version(), "run_id": run_id, "via": via}


def loaded_sessions(con) -> list[int]:
    return [r[0] for r in con.execute("SELECT DISTINCT session FROM raw.load_state ORDER BY 1").fetchall()]


def drop_session(con, session: int) -> None:
    """Remove every trace of a session that no longer lands (its files were deleted)."""
    reg = registry()
    with db.transaction(con):
        for m in reg.public():
            if m.partitioned:
                steps.clear_rows(con, m, session)
        # What spans sessions and is rewritten with each session's step follows at once.
        steps.run_build(con, reg["core.dim_instrument"], None)
        db.run_sql_file(con, "core/link_citations.sql")
        for table in (*STAGING_TABLES, *RECONCILIATION_TABLES, "document_status", "metadata", "metadata_problem"):
            con.execute(f"DELETE FROM staging.{table} WHERE session = ?", [session])
        for table in ("document", "source_file", "rejected", "load_state", "held_back", "model_state"):
            con.execute(f"DELETE FROM raw.{table} WHERE session = ?", [session])
        # The marts over all sessions are judged again without it.
        con.execute("DELETE FROM raw.model_state WHERE session IS NULL AND model LIKE 'marts.%'")


# -- checks ----------------------------------------------------------------------
def run_check(con, name: str) -> pl.DataFrame:
    """Rows that violate one structural invariant (empty when it holds)."""
    return db.query_file(con, f"checks/{name}.sql")


def run_checks(con, names: tuple[str, ...] = CHECKS) -> dict[str, pl.DataFrame]:
    return {name: run_check(con, name) for name in names}


def build_session_layers(con, landing: Path, session: int, sources: list[SourceFile] | None = None,
                         force: bool = False):
    """Build a session layer by layer, yielding each layer's result as it finishes (for progress)."""
    sources = sources if sources is not None else scan_landing(landing)
    yield load_raw(con, landing, session, sources, force)
    yield build_staging(con, session, force)
    yield build_core(con, session, force)
    yield build_enrich(con, session, force)
    yield build_marts(con, session, force)


def build_session(con, landing: Path, session: int, sources: list[SourceFile] | None = None,
                  force: bool = False) -> list[LayerResult]:
    return list(build_session_layers(con, landing, session, sources, force))


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    con = db.connect(path)
    db.ensure_schema(con)
    return con
