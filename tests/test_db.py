"""warehouse/db.py: SQL files are split by DuckDB's parser and their $parameters bound, never formatted in.

Every .sql file under warehouse/sql parses with DuckDB's extract_statements, each
statement's named parameters are supplied by the calls that pass literal parameters,
a missing parameter names its file, and a hostile value is bound as a value.
"""

from __future__ import annotations

import ast
from pathlib import Path

import duckdb
import pytest

from warehouse import db
from warehouse.registry import registry

REPO = Path(__file__).resolve().parent.parent
SQL_FILES = sorted(p.relative_to(db.SQL_ROOT).as_posix() for p in db.SQL_ROOT.rglob("*.sql"))
CALLERS = ("warehouse", "orchestration", "expectations", "dashboards", "benchmarks", "tests")
HOSTILE = "O'Brien'); DROP TABLE core.dim_theme; --"


@pytest.fixture(scope="module")
def con():
    """An in-memory warehouse: every table (marts.paragraph_search too), fts loaded, the
    reference index's stopwords made (create_index.sql's PRAGMA is expanded at parse time
    and reads both)."""
    c = duckdb.connect()
    db.load_fts(c)
    db.ensure_schema(c)
    db.run_sql_file(c, "search/stopwords.sql")
    yield c
    c.close()


def test_there_are_sql_files():
    assert len(SQL_FILES) > 40
    assert "core/link_citations.sql" in SQL_FILES
    assert len(MODELS) > 40


MODELS = sorted(registry().models)


@pytest.mark.parametrize("name", MODELS)
def test_each_model_parses_and_binds_only_the_session(con, name):
    """A model's DDL and build statements parse, and name no parameter but $session, which the
    registry binds (warehouse/steps.py run_build)."""
    model = registry()[name]
    found = [stmt for section in (model.ddl, model.build) for stmt in db.statements(con, section)]
    assert found, f"{name}: no statement"
    for stmt in found:
        assert stmt.type != duckdb.StatementType.INVALID, name
        assert stmt.named_parameters <= {"session"}, (name, stmt.named_parameters)


@pytest.mark.parametrize("name", SQL_FILES)
def test_each_sql_file_parses_into_statements(con, name):
    found = db.statements(con, db.sql_text(name))
    assert found, f"{name}: no statement"
    for stmt in found:
        assert stmt.type != duckdb.StatementType.INVALID, name
        # only named parameters ($name): positional ones would not be bound by run_sql
        assert "?" not in stmt.named_parameters and not any(p.isdigit() for p in stmt.named_parameters), name


def _literal_calls() -> list[tuple[str, str, set[str]]]:
    """(where, SQL file, parameter names) of each run_sql_file/query_file call naming its file
    and its parameters literally: a str constant and a dict with str-constant keys (or none).
    Calls with a computed file or a parameters variable (search.py, dashboards/queries.py)
    are left to their own tests."""
    calls = []
    for top in CALLERS:
        for path in sorted((REPO / top).rglob("*.py")):
            if path == Path(__file__).resolve():
                continue  # this file's calls leave parameters out on purpose
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None))
                        in ("run_sql_file", "query_file")):
                    continue
                args = node.args
                if len(args) < 2 or not (isinstance(args[1], ast.Constant) and isinstance(args[1].value, str)):
                    continue  # the file name is computed: cannot tell here
                if len(args) == 2:
                    keys = set()
                elif isinstance(args[2], ast.Dict) and all(
                        isinstance(k, ast.Constant) and isinstance(k.value, str) for k in args[2].keys):
                    keys = {k.value for k in args[2].keys}
                else:
                    continue  # parameters from a variable
                calls.append((f"{path.relative_to(REPO)}:{node.lineno}", args[1].value, keys))
    return calls


LITERAL_CALLS = _literal_calls()


def test_literal_calls_were_found():
    files = {name for _, name, _ in LITERAL_CALLS}
    assert {"core/link_citations.sql", "marts/coverage_inputs.sql",
            "quality/text_differences.sql", "search/create_index.sql"} <= files


@pytest.mark.parametrize("where,name,given", LITERAL_CALLS, ids=[c[0] for c in LITERAL_CALLS])
def test_callers_supply_every_named_parameter(con, where, name, given):
    assert name in SQL_FILES, f"{where}: no SQL file {name}"
    needed = set().union(*(s.named_parameters for s in db.statements(con, db.sql_text(name))))
    assert needed <= given, f"{where}: {name} needs {sorted(needed - given)}"


def test_a_missing_parameter_names_the_file_and_the_parameter(con):
    with pytest.raises(db.SqlParameterMissing) as raised:
        db.run_sql(con, registry()["core.dim_session"].build, {"sessoin": 78}, name="models/core/dim_session.sql")
    message = str(raised.value)
    assert "models/core/dim_session.sql" in message and "$session" in message
    assert isinstance(raised.value, KeyError)  # what the old splitter raised
    with pytest.raises(db.SqlParameterMissing, match=r"search/theme_family\.sql.*\$theme"):
        db.query_file(con, "search/theme_family.sql")


def test_unused_parameters_are_ignored(con):
    db.run_sql_file(con, "core/link_citations.sql", {"session": 78})


def test_a_hostile_value_is_bound_not_injected(con):
    con.execute("DELETE FROM core.dim_theme")
    con.execute("INSERT INTO core.dim_theme (theme, parent, label, source) VALUES (?, NULL, 'x', 'test'), "
                "('other', NULL, 'y', 'test')", [HOSTILE])
    themes = db.query_file(con, "search/theme_family.sql", {"theme": HOSTILE})["themes"].to_list()
    assert themes == [[HOSTILE]]
    assert con.execute("SELECT count(*) FROM core.dim_theme").fetchone() == (2,)


def test_run_sql_binds_a_value_in_every_statement_that_names_it():
    c = duckdb.connect()
    try:
        db.run_sql(c, """
            CREATE TABLE t (v VARCHAR);  -- a comment; with a semicolon
            INSERT INTO t VALUES ($v), ('a;b -- not a comment');
            INSERT INTO t SELECT $v || '!';
        """, {"v": "'; DROP TABLE t; --"})
        rows = [r[0] for r in c.execute("SELECT v FROM t ORDER BY rowid").fetchall()]
    finally:
        c.close()
    assert rows == ["'; DROP TABLE t; --", "a;b -- not a comment", "'; DROP TABLE t; --!"]


def test_query_file_wants_one_statement(con, monkeypatch):
    monkeypatch.setattr(db, "sql_text", lambda name: "SELECT 1; SELECT 2;")
    with pytest.raises(ValueError, match="expected one statement, found 2"):
        db.query_file(con, "two.sql")


def _duckdb_mb(c) -> float:
    return c.execute("SELECT sum(memory_usage_bytes) / 1e6 FROM duckdb_memory()").fetchone()[0]


def test_cache_capped_gives_the_cache_up_and_restores_the_build_limit(tmp_path):
    path = tmp_path / "w.duckdb"
    with db.connect(path) as c:
        c.execute("CREATE TABLE t AS SELECT i, md5(i::VARCHAR) AS s FROM range(2000000) r(i)")
        c.execute("CHECKPOINT")
    with db.connect(path) as c:
        limit = c.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        c.execute("SELECT count(DISTINCT s) FROM t").fetchone()  # fills the cache
        assert _duckdb_mb(c) > 20
        with db.cache_capped(c, "8MB"):
            assert _duckdb_mb(c) <= 8
            assert c.execute("SELECT count(*) FROM t WHERE s LIKE 'a%'").fetchone()[0] > 0  # read again
            c.execute("BEGIN")
            c.execute("INSERT INTO t SELECT i, s FROM t WHERE i < 10")
            c.execute("COMMIT")
        assert c.execute("SELECT current_setting('memory_limit')").fetchone()[0] == limit


def test_cache_capped_keeps_the_limit_when_the_open_work_does_not_fit():
    with duckdb.connect() as c:  # in memory: its tables cannot be evicted
        c.execute("SET memory_limit = '512MB'")
        c.execute("CREATE TABLE t AS SELECT i, md5(i::VARCHAR) AS s FROM range(500000) r(i)")
        with db.cache_capped(c, "1MB"):
            assert c.execute("SELECT count(*) FROM t").fetchone()[0] == 500000


def test_cache_capped_rejects_what_is_not_a_size(con):
    with pytest.raises(ValueError), db.cache_capped(con, "1GB'; DROP TABLE x; --"):
        pass


def test_inserted_frames_are_not_held_by_an_open_transaction(monkeypatch):
    """insert_frame/insert_query inside a transaction leave no reference to their Arrow data
    (``con.register`` did: its view, dropped, lived in the undo history until the commit)."""
    import sys

    import polars as pl

    made = []
    original = pl.DataFrame.to_arrow
    monkeypatch.setattr(pl.DataFrame, "to_arrow", lambda self, *a, **k: made.append(original(self, *a, **k))
                        or made[-1])
    with duckdb.connect() as c:
        c.execute("CREATE SCHEMA marts")
        c.execute("CREATE TABLE marts.t (i INTEGER, s VARCHAR, session INTEGER)")
        with db.transaction(c):
            db.insert_frame(c, "marts.t", pl.DataFrame({"s": ["a", "b"], "i": [1, 2]}), session=7)
            db.insert_query(c, pl.DataFrame({"i": [3]}), "INSERT INTO marts.t SELECT i, 'c', ? FROM _incoming", [8])
            assert [sys.getrefcount(made[i]) for i in range(2)] == [2, 2]  # the list's and getrefcount's own
        assert c.execute("SELECT * FROM marts.t ORDER BY i").fetchall() == [(1, "a", 7), (2, "b", 7), (3, "c", 8)]
