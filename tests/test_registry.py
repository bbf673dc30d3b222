"""The model registry (warehouse/registry.py): one file per public table, read into the DDL,
the build steps, the Dagster assets and the codebook check; versions per model decide what
a build rebuilds (warehouse/steps.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration import assets
from orchestration.checks import structural_checks
from warehouse import db, pipeline, registry as registry_module, steps
from warehouse.codebook import load_codebook
from warehouse.registry import (
    MODELS_ROOT,
    RegistryError,
    codebook_problems,
    load_checks,
    load_registry,
    module_closure,
    registry,
)

from tests.test_pipeline import clone, digest, warehouse


def _copy_models(tmp_path: Path) -> Path:
    root = tmp_path / "models"
    shutil.copytree(MODELS_ROOT, root)
    return root


def _sources(name: str, session: int | None) -> str:
    return f"{name}@{session}"


# -- the registry ---------------------------------------------------------------------
def test_every_public_table_is_one_model_and_one_codebook_entry():
    con = duckdb.connect()
    db.ensure_schema(con)
    tables = {f"{s}.{t}" for s, t in con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN ('core', 'marts')").fetchall()}
    assert tables == {m.name for m in registry().public()}
    assert codebook_problems(registry(), load_codebook()) == []


def test_a_model_without_a_codebook_entry_is_reported(tmp_path):
    root = _copy_models(tmp_path)
    (root / "marts" / "no_entry.sql").write_text(
        "-- step: global\n-- depends: core.dim_resolution\n\n"
        "CREATE TABLE IF NOT EXISTS marts.no_entry (n INTEGER);\n\n-- build\n"
        "INSERT INTO marts.no_entry SELECT count(*) FROM core.dim_resolution;\n")
    problems = codebook_problems(load_registry(root), load_codebook())
    assert problems == ["marts.no_entry: a model (warehouse/models) without a codebook entry "
                        "(warehouse/codebook.yaml)"]


@pytest.mark.parametrize("text,message", [
    ("-- step: sometime\n\nCREATE TABLE marts.x (n INTEGER);\n-- build\nSELECT 1;\n",
     "header 'step' must be one of core, enrich, session, global, not 'sometime'"),
    ("-- step: global\n-- owner: me\n\nCREATE TABLE marts.x (n INTEGER);\n-- build\nSELECT 1;\n",
     "unknown header key 'owner'"),
    ("-- step: global\n-- depends:\n\nCREATE TABLE marts.x (n INTEGER);\n-- build\n"
     "INSERT INTO marts.x SELECT count(*) FROM core.fact_paragraph;\n",
     "its build SQL reads core.fact_paragraph, not named in its 'depends' header"),
    ("-- step: global\n-- depends: core.no_such_table\n\nCREATE TABLE marts.x (n INTEGER);\n-- build\nSELECT 1;\n",
     "depends on 'core.no_such_table', which is neither a model nor a source"),
    ("-- step: global\n\nCREATE TABLE marts.x (n INTEGER);\n",
     "neither a build section nor a Python builder fills this table"),
    ("-- step: global\n-- partitioned: session\n\nCREATE TABLE marts.x (n INTEGER);\n-- build\nSELECT 1;\n",
     "a global model covers every session; it cannot be partitioned"),
])
def test_a_broken_model_file_says_which_and_why(tmp_path, text, message):
    root = _copy_models(tmp_path)
    (root / "marts" / "x.sql").write_text(text)
    with pytest.raises(RegistryError) as raised:
        load_registry(root)
    assert message in str(raised.value)
    assert "x.sql" in str(raised.value)


def test_models_that_depend_on_each_other_in_a_circle_are_refused(tmp_path):
    root = _copy_models(tmp_path)
    for a, b in (("a", "b"), ("b", "a")):
        (root / "marts" / f"{a}.sql").write_text(
            f"-- step: global\n-- depends: marts.{b}\n\nCREATE TABLE marts.{a} (n INTEGER);\n-- build\n"
            f"INSERT INTO marts.{a} SELECT count(*) FROM marts.{b};\n")
    with pytest.raises(RegistryError, match="circle: marts.a -> marts.b -> marts.a"):
        load_registry(root)


def test_build_order_puts_every_model_after_what_it_reads():
    reg = registry()
    position = {n: i for i, n in enumerate(reg.order)}
    for name in reg.order:
        for dep in reg[name].depends:
            if dep in reg.models:
                assert position[dep] < position[name], (dep, name)


def test_a_module_version_follows_the_modules_it_imports():
    closure = {p.relative_to(registry_module.PROJECT).as_posix() for p in module_closure("transforms.themes")}
    assert {"transforms/themes.py", "transforms/lexicon.py", "transforms/reference_models.py",
            "transforms/__init__.py"} <= closure
    assert "transforms/pdf.py" not in closure  # the PDF reader is no input of the theme tagger
    actors = {p.name for p in module_closure("transforms.actors")}
    assert {"addressees.py", "catalogue.py", "mandates.py", "reference.py", "sponsors.py"} <= actors


def test_editing_one_mart_changes_its_version_and_what_reads_it_only(tmp_path):
    before = load_registry(_copy_models(tmp_path / "a")).expected(_sources, [77, 78])
    root = _copy_models(tmp_path / "b")
    path = root / "marts" / "theme_trend_by_year.sql"
    path.write_text(path.read_text().replace("-- build\n", "-- build\n-- (an edit)\n", 1))
    reg = load_registry(root)
    after = reg.expected(_sources, [77, 78])
    changed = {name for (name, _), v in after.items() if before[(name, _)] != v}
    assert changed == {"marts.theme_trend_by_year", *reg.downstream("marts.theme_trend_by_year")}
    assert changed >= {"marts.theme_trend_by_session", "marts.environmental_crime_trend",
                       "marts.theme_trend_by_year#finish"}
    assert not changed & {m.name for m in reg.models.values() if m.step in ("core", "enrich")}
    assert "marts.theme_verb_by_year" not in changed


def test_a_reference_file_changes_the_enrich_step_and_not_core(tmp_path, monkeypatch):
    reg = registry()
    before = reg.expected(_sources, [78])
    theme_dim = reg["core.dim_theme"]
    # The reference file is named in dim_theme's `code` header: its bytes are part of the version.
    assert "transforms/reference/themes.yaml" in theme_dim.code
    fake = tmp_path / "themes.yaml"
    fake.write_text("changed")
    real = registry_module.code_files
    monkeypatch.setattr(registry_module, "code_files",
                        lambda entries: {fake if p.name == "themes.yaml" else p for p in real(entries)})
    root = _copy_models(tmp_path)
    after = load_registry(root).expected(_sources, [78])
    changed = {n for (n, _), v in after.items() if before[(n, _)] != v}
    assert {"core.dim_theme", "core.bridge_paragraph_theme", "marts.theme_trend_by_year"} <= changed
    assert not changed & {m.name for m in reg.step("core")}
    assert "core.bridge_paragraph_actor" not in changed


def test_checks_come_from_their_files():
    checks = {c.name: c for c in load_checks()}
    assert set(checks) == {p.stem for p in (db.SQL_ROOT / "checks").glob("*.sql")}
    assert checks["text_matches_xml"].blocking is False
    assert checks["unique_keys"].table == "core.dim_resolution" and checks["unique_keys"].blocking
    assert set(pipeline.CHECKS) | set(pipeline.WARNING_CHECKS) == set(checks)
    assert {c.check_keys and next(iter(c.check_keys)).name for c in structural_checks} == set(checks)


# -- Dagster sees the registry -------------------------------------------------------------
def test_each_asset_carries_its_model_code_version_and_columns():
    specs = {spec.key: spec for a in (assets.core_star_schema, assets.core_dimensions, assets.session_marts,
                                       assets.global_marts) for spec in a.specs}
    codebook = load_codebook()
    assert len(specs) == len(registry().public())
    for model in registry().public():
        spec = specs[assets.MODEL_KEYS[model.name]]
        assert spec.code_version == model.code_version
        schema = spec.metadata["dagster/column_schema"]
        assert [c.name for c in schema.columns] == list(codebook["tables"][model.name]["columns"])
        assert spec.description == codebook["tables"][model.name]["description"].strip()


# -- builds rebuild what is stale, by the models' versions -----------------------------------
def _edited_registry(tmp_path: Path, rel: str, old: str, new: str):
    root = _copy_models(tmp_path)
    path = root / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return load_registry(root)


def _use(monkeypatch, reg) -> None:
    for module in (pipeline, steps, db):
        monkeypatch.setattr(module, "registry", lambda: reg)


def test_editing_a_global_mart_rebuilds_it_and_what_reads_it_nothing_upstream(built_78, tmp_path, monkeypatch):
    paths = clone(built_78, tmp_path / "data")
    reg = _edited_registry(tmp_path, "marts/instrument_citation_span.sql",
                           "INSERT INTO marts.instrument_citation_span", "-- edited\nINSERT INTO marts.instrument_citation_span")
    _use(monkeypatch, reg)
    with warehouse(paths) as con:
        untouched = {t: digest(con, t) for t in ("core.fact_paragraph", "marts.theme_trend_by_session",
                                                 "marts.paragraph_lineage")}
        layers = pipeline.build_session(con, paths.landing, 78)
        assert [(r.layer, r.skipped) for r in layers] == [(layer, True) for layer in
                                                          ("raw", "staging", "core", "enrich", "marts")]
        assert pipeline.pending_work(con, [78], pipeline.scan_landing(paths.landing)) == ["global marts"]
        result = pipeline.build_global_marts(con)
        assert not result.skipped
        assert set(result.counts) == {"instrument_citation_span"}
        assert {t: digest(con, t) for t in untouched} == untouched
        assert pipeline.build_global_marts(con).skipped  # and then nothing is left to do
        assert pipeline.pending_work(con, [78], pipeline.scan_landing(paths.landing)) == []


def test_editing_a_session_mart_rebuilds_that_mart_its_rollups_and_nothing_upstream(built_78, tmp_path,
                                                                                     monkeypatch):
    paths = clone(built_78, tmp_path / "data")
    reg = _edited_registry(tmp_path, "marts/operative_verb_by_year.sql",
                           "INSERT INTO marts.operative_verb_by_year", "-- edited\nINSERT INTO marts.operative_verb_by_year")
    _use(monkeypatch, reg)
    with warehouse(paths) as con:
        kept = {t: digest(con, t) for t in ("marts.operative_verb_by_year", "marts.theme_trend_by_year")}
        layers = {r.layer: r for r in pipeline.build_session(con, paths.landing, 78)}
        assert [layer for layer, r in layers.items() if not r.skipped] == ["marts"]
        assert set(layers["marts"].counts) == set(reg.names("session"))  # counted, not all rebuilt:
        built = dict(con.execute("SELECT model, built_at FROM raw.model_state WHERE session = 78").fetchall())
        assert built["marts.operative_verb_by_year"] > built["marts.theme_trend_by_year"]
        # Over all sessions only its finish (the year's coverage) runs again: no mart reads it.
        result = pipeline.build_global_marts(con)
        assert not result.skipped and result.counts == {}
        # The same rows as before the edit (the SQL did not change what it computes).
        assert {t: digest(con, t) for t in kept} == kept


def test_a_new_model_is_created_and_built_alone(built_78, tmp_path, monkeypatch):
    """Adding a table (a model file) makes that table and builds it: nothing else is dropped or rebuilt."""
    paths = clone(built_78, tmp_path / "data")
    root = _copy_models(tmp_path)
    (root / "marts" / "paragraphs_by_kind.sql").write_text(
        "-- step: global\n-- depends: core.fact_paragraph\n\n"
        "CREATE TABLE IF NOT EXISTS marts.paragraphs_by_kind (kind VARCHAR NOT NULL, paragraphs INTEGER NOT NULL);\n\n"
        "-- build\nINSERT INTO marts.paragraphs_by_kind SELECT kind, count(*) FROM core.fact_paragraph GROUP BY kind;\n")
    reg = load_registry(root)
    _use(monkeypatch, reg)
    with warehouse(paths) as con:
        before = dict(con.execute("SELECT model || coalesce(':' || session, ''), built_at FROM raw.model_state"
                                  ).fetchall())
        kept = digest(con, "core.fact_paragraph")
        assert db.ensure_schema(con) is False  # nothing dropped
        layers = pipeline.build_session(con, paths.landing, 78)
        assert all(r.skipped for r in layers)
        result = pipeline.build_global_marts(con)
        assert set(result.counts) == {"paragraphs_by_kind"}
        after = dict(con.execute("SELECT model || coalesce(':' || session, ''), built_at FROM raw.model_state"
                                 ).fetchall())
        assert {k: v for k, v in after.items() if k != "marts.paragraphs_by_kind"} == before
        rows = dict(con.execute("SELECT kind, paragraphs FROM marts.paragraphs_by_kind").fetchall())
        assert sum(rows.values()) == kept[0]
        # And a model removed: its table goes, the rest stays.
        monkeypatch.undo()
        assert db.ensure_schema(con) is False
        assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'paragraphs_by_kind'"
                           ).fetchone()[0] == 0
        assert digest(con, "core.fact_paragraph") == kept
