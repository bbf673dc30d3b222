"""The codebook (warehouse/codebook.yaml) against the published snapshot.

Fails when a public column is undocumented, when a documented table or column is
gone, when a documented type differs from the snapshot's, when docs/codebook.md
is not the rendering of the YAML, or when the comments cannot be written. Every
failure message lists what to add, remove or fix.
"""

from __future__ import annotations

import hashlib
import shutil

import duckdb
import pytest
import yaml
from click.testing import CliRunner

from warehouse import codebook as cb
from orchestration.cli import main
from warehouse.settings import ENV_VAR


@pytest.fixture(scope="module")
def book() -> dict:
    return cb.load_codebook()


@pytest.fixture(scope="module")
def snapshot(full_build):
    con = duckdb.connect(str(full_build.snapshot), read_only=True)
    yield con
    con.close()


def _run(*args: str):
    return CliRunner().invoke(main, list(args), env={ENV_VAR: None})


# ------------------------------------------------------------------ against the snapshot

def test_every_public_column_is_documented(snapshot, book):
    missing = cb.undocumented(snapshot, book)
    assert not missing, "\n" + cb.format_differences({"undocumented": missing})


def test_nothing_documented_is_missing_from_the_snapshot(snapshot, book):
    gone = cb.stale(snapshot, book)
    assert not gone, "\n" + cb.format_differences({"stale": gone})


def test_documented_types_are_the_snapshot_types(snapshot, book):
    wrong = cb.type_mismatches(snapshot, book)
    assert not wrong, "\n" + cb.format_differences({"type_mismatches": wrong})


def test_the_public_tables_are_the_ones_publish_writes(snapshot):
    tables = set(cb.public_columns(snapshot))
    assert {"core.fact_paragraph", "core.dim_resolution", "ops.rejected", "ops.metadata_problem",
            "ops.check_result", "ops.build_info"} <= tables
    assert not any(t.startswith("fts_") for t in tables)  # the search index is the extension's


def test_documented_values_are_the_values_found(snapshot, book):
    """A column documented with `values` holds no other value; a column that holds
    nulls says what a null means."""
    present = cb.public_columns(snapshot)
    problems = []
    for table, entry in book["tables"].items():
        for column, spec in entry["columns"].items():
            if column not in present.get(table, {}):
                continue
            ident = f'{table}."{column}"'
            if spec.get("values"):
                found = {r[0] for r in snapshot.execute(
                    f'SELECT DISTINCT "{column}" FROM {table} WHERE "{column}" IS NOT NULL').fetchall()}
                extra = sorted(map(str, found - set(spec["values"])))
                if extra:
                    problems.append(f"{ident}: values not in the codebook: {extra[:10]}")
            if "nulls" not in spec:
                nulls = snapshot.execute(f'SELECT count(*) FROM {table} WHERE "{column}" IS NULL').fetchone()[0]
                if nulls:
                    problems.append(f"{ident}: {nulls} nulls, but no `nulls:` saying what a null means")
    assert not problems, "\n" + "\n".join(problems)


def test_published_snapshot_carries_the_comments(snapshot):
    """publish.py writes the codebook into the snapshot (finish_snapshot)."""
    blank = snapshot.execute(
        "SELECT schema_name || '.' || table_name || '.' || column_name FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name IN ('core', 'marts', 'ops') "
        "AND coalesce(comment, '') = '' ORDER BY 1").fetchall()
    assert not blank, f"published columns without a comment: {[r[0] for r in blank]}"


def test_apply_comments_on_a_copy_of_the_snapshot(full_build, book, tmp_path):
    before = hashlib.sha256(full_build.snapshot.read_bytes()).hexdigest()
    copy = tmp_path / "unga.duckdb"
    shutil.copyfile(full_build.snapshot, copy)
    con = duckdb.connect(str(copy))
    try:
        written = cb.apply_comments(con, book)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    con = duckdb.connect(str(copy), read_only=True)
    try:
        columns = cb.public_columns(con)
        blank_columns = con.execute(
            "SELECT schema_name || '.' || table_name || '.' || column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name IN ('core', 'marts', 'ops') "
            "AND coalesce(comment, '') = '' ORDER BY 1").fetchall()
        blank_tables = con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
            "WHERE database_name = current_database() AND schema_name IN ('core', 'marts', 'ops') "
            "AND coalesce(comment, '') = '' ORDER BY 1").fetchall()
        kind = con.execute(
            "SELECT comment FROM duckdb_columns() WHERE schema_name = 'core' "
            "AND table_name = 'fact_paragraph' AND column_name = 'kind'").fetchone()[0]
        rows = con.execute("SELECT count(*) FROM core.fact_paragraph").fetchone()[0]
    finally:
        con.close()
    assert not blank_columns, f"columns without a comment: {[r[0] for r in blank_columns]}"
    assert not blank_tables, f"tables without a comment: {[r[0] for r in blank_tables]}"
    assert written == len(columns) + sum(len(c) for c in columns.values())
    assert "preambular, operative, annex" in kind
    assert rows > 80_000  # the data is untouched
    assert hashlib.sha256(full_build.snapshot.read_bytes()).hexdigest() == before


# --------------------------------------------------------------------- the docs page

def test_docs_page_is_the_rendering_of_the_yaml(book):
    page = cb.DOCS_PAGE.read_text(encoding="utf-8") if cb.DOCS_PAGE.exists() else ""
    assert page == cb.render_markdown(book), (
        "docs/codebook.md is out of date: run `unga codebook --write docs/codebook.md` "
        "(or `python -m warehouse.codebook`) and commit it")
    assert cb.main(["--check"]) == 0


def test_page_lists_every_table_and_column(book):
    page = cb.render_markdown(book)
    for table, entry in book["tables"].items():
        assert f"### {table}\n" in page
        assert f"[`{table}`](#{table.replace('.', '')})" in page
        for column, spec in entry["columns"].items():
            assert f"| `{column}` | {spec['type']} |" in page


# --------------------------------------------------------------- the YAML and its checks

def test_codebook_file_is_valid(book):
    assert book["version"] == 1
    assert len(book["tables"]) >= 30
    for entry in book["tables"].values():
        assert entry["description"].strip() and entry["grain"].strip()


def test_validate_names_every_problem():
    bad = {
        "version": 1,
        "tables": {
            "core.t": {
                "description": "d", "grain": "g", "key": ["nope"],
                "columns": {"a": {"type": "INTEGER"}, "b": {"type": "", "description": "x", "null": "y"},
                            "c": {"type": "VARCHAR", "description": "x", "values": [True]}},
            },
            "public.u": {"description": "d", "columns": {}},
        },
    }
    problems = "\n".join(cb.validate(bad))
    for expected in ("key column 'nope'", "column 'a': description is missing", "column 'b': type is missing",
                     "unknown field 'null'", "values must be a non-empty list of strings",
                     "'public.u': name must be schema.table", "'public.u': grain is missing",
                     "'public.u': columns must be a non-empty mapping"):
        assert expected in problems, problems


def test_comparisons_on_a_small_database():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA core")
    con.execute("CREATE SCHEMA other")
    con.execute("CREATE TABLE core.t (a INTEGER, b VARCHAR, extra DATE)")
    con.execute("CREATE TABLE core.undocumented (x BIGINT)")
    con.execute("CREATE TABLE other.ignored (y INTEGER)")
    con.execute("CREATE VIEW core.v AS SELECT 1 AS z")
    book = {"version": 1, "tables": {
        "core.t": {"description": "T.", "grain": "g", "columns": {
            "a": {"type": "BIGINT", "description": "A."},
            "b": {"type": "VARCHAR", "description": "B."},
            "gone": {"type": "VARCHAR", "description": "Gone."},
            "maybe": {"type": "VARCHAR", "description": "Some builds.", "optional": True}}},
        "marts.absent": {"description": "Absent.", "grain": "g", "columns": {"q": {"type": "INTEGER", "description": "Q."}}},
    }}
    assert cb.undocumented(con, book) == ["core.t.extra DATE", "core.undocumented.x BIGINT"]
    assert cb.stale(con, book) == ["core.t.gone", "marts.absent"]
    assert cb.type_mismatches(con, book) == ["core.t.a: codebook BIGINT, database INTEGER"]
    report = cb.format_differences(cb.differences(con, book))
    assert "2 undocumented" in report and "core.undocumented.x BIGINT" in report


def test_comments_are_literals_whatever_the_text():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA core")
    con.execute("CREATE TABLE core.t (a INTEGER, \"Odd Name\" INTEGER)")
    nasty = "It's a 'quote'; DROP TABLE core.t; -- and \\ backslash"
    book = {"version": 1, "tables": {"core.t": {
        "description": nasty, "grain": "one row.", "key": ["a"],
        "columns": {"a": {"type": "INTEGER", "description": nasty, "values": ["x'y"], "nulls": "never 'null'"}}}}}
    assert cb.apply_comments(con, book) == 2
    assert con.execute("SELECT count(*) FROM core.t").fetchone() == (0,)
    table_comment = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 't'").fetchone()[0]
    assert table_comment == f"{nasty} Grain: one row. Key: a."
    column_comment = con.execute(
        "SELECT comment FROM duckdb_columns() WHERE table_name = 't' AND column_name = 'a'").fetchone()[0]
    assert column_comment == f"{nasty} Values: x'y. Null: never 'null'"
    assert cb.sql_string("a'b") == "'a''b'"
    with pytest.raises(ValueError):
        cb.sql_string("nul\x00")
    for name in ('a"b', "Odd Name", "a;b", "", "x" * 64):
        with pytest.raises(ValueError):
            cb._ident(name)


def test_apply_comments_through_an_attach_alias(tmp_path):
    path = tmp_path / "snap.duckdb"
    setup = duckdb.connect(str(path))
    setup.execute("CREATE SCHEMA ops")
    setup.execute("CREATE TABLE ops.check_result (check_name VARCHAR, violations BIGINT)")
    setup.close()
    book = cb.load_codebook()
    con = duckdb.connect()
    con.execute(f"ATTACH '{path}' AS snapshot_out")
    assert cb.apply_comments(con, book, database="snapshot_out") == 3
    assert cb.undocumented(con, book, database="snapshot_out") == []
    comments = con.execute("SELECT column_name, comment FROM duckdb_columns() WHERE database_name = 'snapshot_out' "
                           "ORDER BY column_index").fetchall()
    assert [c for c, _ in comments] == ["check_name", "violations"] and all(t for _, t in comments)


def test_apply_comments_on_the_unpublished_file(tmp_path):
    """publish.py writes the snapshot as ".unga.duckdb.<hex>.tmp" before renaming it."""
    path = tmp_path / "with space" / ".unga.duckdb.1a2b3c4d.tmp"
    path.parent.mkdir()
    con = duckdb.connect(str(path))
    try:
        con.execute("CREATE SCHEMA ops")
        con.execute("CREATE TABLE ops.build_info (published_at TIMESTAMP, code_version VARCHAR, run_id VARCHAR)")
        assert cb.apply_comments(con, cb.load_codebook()) == 4
        assert con.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name = 'build_info' "
                           "AND comment <> ''").fetchone() == (3,)
    finally:
        con.close()


# ---------------------------------------------------------------------------- the CLI

def test_cli_prints_the_page(book):
    result = _run("codebook")
    assert result.exit_code == 0, result.output
    assert result.output == cb.render_markdown(book)


def test_cli_prints_one_table():
    result = _run("codebook", "--table", "fact_paragraph")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("### core.fact_paragraph\n")
    assert "| `paragraph_key` | BIGINT |" in result.output
    assert "core.dim_resolution" not in result.output.split("\n", 1)[0]


def test_cli_yaml(book):
    whole = _run("codebook", "--format", "yaml")
    assert whole.exit_code == 0, whole.output
    assert yaml.safe_load(whole.output) == book
    one = _run("codebook", "--format", "yaml", "--table", "core.dim_session")
    assert one.exit_code == 0, one.output
    assert yaml.safe_load(one.output) == {"core.dim_session": book["tables"]["core.dim_session"]}


def test_cli_unknown_table_is_an_error():
    result = _run("codebook", "--table", "paragraf")
    assert result.exit_code != 0
    assert "no table 'paragraf'" in result.output


def test_cli_writes_the_page(tmp_path, book):
    target = tmp_path / "docs" / "codebook.md"
    result = _run("codebook", "--write", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == cb.render_markdown(book)
