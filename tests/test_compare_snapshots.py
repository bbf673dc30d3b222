"""benchmarks/compare_snapshots.py on a real published snapshot (the session-78 build of
conftest's built_78, shared read-only: every test works on copies of its snapshot file)."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from benchmarks import compare_snapshots as cs
from warehouse import db, search


@pytest.fixture
def snapshots(built_78, tmp_path):
    """(original, copy): two byte-identical files, so both are attached as separate databases."""
    original = tmp_path / "old.duckdb"
    shutil.copyfile(built_78.snapshot, original)
    return original, _copy(original, tmp_path / "new.duckdb")


def _copy(src, dst):
    shutil.copyfile(src, dst)
    return dst


def _run(old, new, tmp_path, *extra):
    out = tmp_path / "result.json"
    code = cs.main([str(old), str(new), "--json", str(out), *extra])
    return code, json.loads(out.read_text())


def _by_name(result):
    return {t["name"]: t for t in result["tables"]}


def test_identical_copy_is_equal(snapshots, tmp_path, capsys):
    old, new = snapshots
    code, result = _run(old, new, tmp_path)
    assert code == 0
    assert result["equal"] and result["tables_differing"] == []
    tables = _by_name(result)
    # Every public table, ops and the search index: taken from the snapshot's own catalogue.
    with duckdb.connect(str(old), read_only=True) as con:
        expected = {f"{s}.{t}" for s, t in con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('information_schema', 'pg_catalog')").fetchall()}
        n_paragraphs = con.execute("SELECT count(*) FROM core.fact_paragraph").fetchone()[0]
    assert set(tables) == expected
    assert {"core.dim_resolution", "marts.paragraph_search", "marts.paragraph_term", "ops.build_info"} <= expected
    assert all(t["verdict"] == "equal" and t["only_in_old"] == 0 == t["only_in_new"] for t in tables.values())
    assert tables["core.fact_paragraph"]["rows_old"] == tables["core.fact_paragraph"]["rows_new"] == n_paragraphs > 0
    assert "all equal" in capsys.readouterr().out


def test_one_altered_row_is_reported_in_its_table_only(snapshots, tmp_path, capsys):
    old, new = snapshots
    with duckdb.connect(str(new)) as con:
        symbol = con.execute("SELECT min(symbol) FROM core.dim_resolution").fetchone()[0]
        con.execute("UPDATE core.dim_resolution SET title = title || ' (altered)' WHERE symbol = ?", [symbol])
    code, result = _run(old, new, tmp_path)
    assert code == 1
    assert result["tables_differing"] == ["core.dim_resolution"]
    t = _by_name(result)["core.dim_resolution"]
    assert (t["verdict"], t["rows_old"] == t["rows_new"], t["only_in_old"], t["only_in_new"]) == ("differs", True, 1, 1)
    # The sample shows the row as it is on each side.
    title, key = t["columns"].index("title"), t["columns"].index("symbol")
    assert t["sample_new"][0][title] == t["sample_old"][0][title] + " (altered)"
    assert t["sample_new"][0][key] == t["sample_old"][0][key] == symbol
    out = capsys.readouterr().out
    assert "1 differ: core.dim_resolution" in out


def test_multisets_columns_tables_and_exclusions(snapshots, tmp_path):
    """A duplicated row, a dropped column, a new table count; build times and run ids do not;
    nor does the search index numbering the same documents in another order."""
    old, new = snapshots
    for path in (old, new):  # snapshots published before the search tables held DuckDB's fts index
        with duckdb.connect(str(path)) as con:
            db.load_fts(con)
            search.create_fts_reference(con)
    with duckdb.connect(str(new)) as con:
        # Excluded columns: another build of the same rows.
        con.execute("UPDATE ops.build_info SET published_at = published_at + INTERVAL 1 HOUR, "
                    "run_id = 'another-run', code_version = 'x', warehouse_state = 'y'")
        con.execute("UPDATE ops.rejected SET rejected_at = rejected_at + INTERVAL 1 HOUR")
        # The fts index's documents renumbered, consistently across its tables.
        n = con.execute("SELECT count(*) FROM fts_marts_paragraph_search.docs").fetchone()[0]
        for table in ("docs", "terms"):
            con.execute(f"UPDATE fts_marts_paragraph_search.{table} SET docid = ? - 1 - docid", [n])
        # Real differences: one row twice (same count of distinct rows), a column gone, a table new.
        con.execute("INSERT INTO core.fact_footnote SELECT * FROM core.fact_footnote LIMIT 1")
        con.execute("ALTER TABLE core.manifest DROP COLUMN superseded_documents")
        con.execute("CREATE TABLE marts.extra AS SELECT 1 AS x")
    code, result = _run(old, new, tmp_path, "--show", "0")
    assert code == 1
    tables = _by_name(result)
    assert tables["ops.build_info"]["verdict"] == "equal"
    assert tables["ops.rejected"]["verdict"] == "equal"
    assert tables["fts_marts_paragraph_search.terms"]["verdict"] == "equal"
    assert tables["fts_marts_paragraph_search.docs"]["verdict"] == "equal"
    footnote = tables["core.fact_footnote"]
    assert (footnote["only_in_old"], footnote["only_in_new"], footnote["rows_new"] - footnote["rows_old"]) == (0, 1, 1)
    assert tables["marts.extra"]["verdict"] == "only in new"
    manifest = tables["core.manifest"]
    assert (manifest["verdict"], manifest["columns_only_in_old"], manifest["columns_only_in_new"]) == (
        "differs", ["superseded_documents"], [])
    assert manifest["only_in_old"] == manifest["only_in_new"] == 0  # the other columns' rows are the same
    assert sorted(result["tables_differing"]) == ["core.fact_footnote", "core.manifest", "marts.extra"]
    assert footnote["sample_new"] == []  # --show 0


def test_missing_file_is_a_usage_error(snapshots, tmp_path):
    old, _ = snapshots
    with pytest.raises(SystemExit) as exit_:
        cs.main([str(old), str(tmp_path / "absent.duckdb")])
    assert exit_.value.code == 2
