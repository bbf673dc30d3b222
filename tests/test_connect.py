"""The recipes of docs/connect.md, run against a real build.

Each code block of the page follows a ``<!-- test: NAME -->`` comment; the blocks are
read from the page, so a recipe that stops working fails here. The relative paths of
the recipes (``data/published/unga.duckdb``) are left as they are and run from the
folder holding the test's data dir (which is named ``data``); the absolute path of
the BI recipes is substituted.

Python recipes run in this process. The SQLAlchemy and Superset recipes run in a
child process, as a BI tool would: in one process DuckDB shares one database per
file among all connections and refuses a second configuration for the same file,
so an engine here could clash with a connection another test module keeps open.

``test_readers_keep_their_snapshot_while_the_pipeline_publishes`` is the property
the page promises: a build publishes while readers hold the snapshot open; they
keep answering from the snapshot they opened, and a new connection sees the new one.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import select
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.conftest import BUNDLED, META, REPO, ZIP, make_data_dir
from warehouse.settings import Paths

DOC = REPO / "docs" / "connect.md"
PLACEHOLDER = "/absolute/path/to/unga-warehouse"
BIN = Path(sys.executable).parent
CLI = BIN / "duckdb"
RECIPES = {
    "cli-install": "sh", "cli-one-shot": "sh", "cli-per-session": "sql", "cli-themes": "sql", "cli-wildlife": "sql",
    "python-duckdb": "python", "polars-from-duckdb": "python", "polars-parquet": "python",
    "sqlalchemy": "python", "superset-uri": "text", "superset-engine-parameters": "json",
}
# Which sessions a connection sees, as one line of text in every client.
SESSIONS_SQL = ("SELECT string_agg(DISTINCT session::VARCHAR, ' ' ORDER BY session::VARCHAR) "
                "FROM core.dim_resolution")
# What Superset adds to every engine it creates (superset/models/core.py, db_engine_specs/duckdb.py).
SUPERSET_CONFIG = {"custom_user_agent": "apache-superset/test"}
TIMEOUT = 120


def recipes() -> dict[str, tuple[str, str]]:
    """name -> (language, code) for every block that follows a test comment."""
    text = DOC.read_text(encoding="utf-8")
    found = re.findall(r"<!-- test: ([\w-]+) -->\n```(\w+)\n(.*?)\n```", text, flags=re.S)
    return {name: (lang, code) for name, lang, code in found}


def recipe(name: str) -> str:
    return recipes()[name][1]


def _query(snapshot: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _frame(snapshot: Path, sql: str, params=None) -> pl.DataFrame:
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return con.execute(sql, params).pl()
    finally:
        con.close()


def _workdir(paths: Paths) -> Path:
    """The folder from which ``data/published/unga.duckdb`` is this build's snapshot."""
    assert paths.root.name == "data", paths.root
    return paths.root.parent


def _env() -> dict:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([str(CLI), *args], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    return result


def _run_python(code: str, cwd: Path) -> dict:
    """Run code in a fresh interpreter; it prints one JSON object as its last line."""
    result = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
                            timeout=TIMEOUT, env=_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _exec(code: str) -> dict:
    namespace: dict = {"__name__": "recipe"}
    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    return namespace


# -- the page -------------------------------------------------------------------------------
def test_the_page_marks_every_recipe():
    found = recipes()
    assert {name: lang for name, (lang, _) in found.items()} == RECIPES
    # The BI recipes name the snapshot by the absolute placeholder, the others by the relative path.
    for name in ("sqlalchemy", "superset-uri"):
        assert f"{PLACEHOLDER}/data/published/unga.duckdb" in found[name][1]
    for name in ("cli-one-shot", "python-duckdb", "polars-from-duckdb"):
        assert "data/published/unga.duckdb" in found[name][1]


# -- DuckDB CLI -----------------------------------------------------------------------------
def test_cli_is_the_duckdb_that_writes_the_snapshot():
    assert CLI.exists(), f"no DuckDB CLI at {CLI}: install the dev extras (pip install -e '.[dev]')"
    assert _cli(REPO, "--version").stdout.split()[0] == f"v{duckdb.__version__}"
    assert recipe("cli-install").split() == ["pip", "install", f"duckdb-cli=={duckdb.__version__}"]
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = dict(re.match(r"([\w-]+)==(.+)", spec).groups()
                for spec in project["dependencies"] + project["optional-dependencies"]["dev"]
                if spec.startswith(("duckdb==", "duckdb-cli==", "duckdb-extension-fts==")))
    assert pins == {"duckdb": duckdb.__version__, "duckdb-cli": duckdb.__version__,
                    "duckdb-extension-fts": duckdb.__version__}


def test_cli_one_shot_prints_resolutions_per_session(full_build):
    result = subprocess.run(["bash", "-c", recipe("cli-one-shot")], cwd=_workdir(full_build), env=_env(),
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    expected = _query(full_build.snapshot, "SELECT session, count(*) FROM core.dim_resolution GROUP BY 1 ORDER BY 1")
    assert [s for s, _ in expected] == [74, 75, 76, 77, 78, 79]
    printed = [tuple(map(int, row)) for row in re.findall(r"│\s*(\d+)\s*│\s*(\d+)\s*│", result.stdout)]
    assert printed == expected, result.stdout


@pytest.mark.parametrize("name", ["cli-per-session", "cli-themes", "cli-wildlife"])
def test_cli_query_prints_what_python_reads(full_build, name):
    sql = recipe(name)
    out = _cli(_workdir(full_build), "-readonly", "-csv", "data/published/unga.duckdb", "-c", sql).stdout
    header, *rows = list(csv.reader(io.StringIO(out)))
    expected = _query(full_build.snapshot, sql)
    assert expected, f"{name} returns no rows"
    assert rows == [["" if v is None else str(v) for v in row] for row in expected]  # the CLI prints NULL as ""
    assert len(header) == len(expected[0])


def test_build_info_says_which_snapshot_a_client_sees(full_build):
    assert "SELECT published_at, sessions FROM ops.build_info" in DOC.read_text(encoding="utf-8")
    [(published_at, sessions)] = _query(full_build.snapshot, "SELECT published_at, sessions FROM ops.build_info")
    assert published_at is not None and sessions == "74,75,76,77,78,79"


def test_cli_refuses_writes_on_a_read_only_snapshot(full_build):
    result = subprocess.run([str(CLI), "-readonly", str(full_build.snapshot), "-c", "CREATE TABLE core.x (i INT)"],
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode != 0
    assert "read-only" in result.stdout + result.stderr


# -- Python ---------------------------------------------------------------------------------
def test_python_duckdb_recipe(full_build, monkeypatch, capsys):
    monkeypatch.chdir(_workdir(full_build))
    paragraphs = _exec(recipe("python-duckdb"))["paragraphs"]
    assert isinstance(paragraphs, pl.DataFrame)
    assert paragraphs.columns == ["symbol", "number", "lead_phrase", "text"]
    expected = _query(full_build.snapshot,
                      "SELECT symbol, number FROM core.fact_paragraph WHERE session = 78 AND kind = 'operative' "
                      "AND paragraph_key IN (SELECT paragraph_key FROM core.bridge_paragraph_theme "
                      "WHERE theme = 'wildlife_crime') ORDER BY symbol, ordinal")
    assert expected
    assert paragraphs.select("symbol", "number").rows() == expected
    assert paragraphs["symbol"][0] in capsys.readouterr().out


def test_polars_from_duckdb_recipe(full_build, monkeypatch):
    monkeypatch.chdir(_workdir(full_build))
    per_year = _exec(recipe("polars-from-duckdb"))["per_year"]
    expected = _frame(full_build.snapshot,
                      "SELECT pt.theme, p.year, count(*)::UINTEGER AS paragraphs, "
                      "count(*) FILTER (WHERE p.kind = 'operative')::UINTEGER AS operative "
                      "FROM core.bridge_paragraph_theme pt JOIN core.fact_paragraph p USING (paragraph_key) "
                      "GROUP BY ALL ORDER BY pt.theme, p.year")
    assert expected.height > 0
    assert per_year.select(expected.columns).cast(expected.schema).rows() == expected.rows()


def test_polars_parquet_recipe(full_build, monkeypatch):
    """Needs the Parquet export beside the snapshot (published/parquet/<schema>/<table>.parquet)."""
    parquet = full_build.published_dir / "parquet"
    for table in ("fact_paragraph", "bridge_paragraph_theme"):
        assert (parquet / "core" / f"{table}.parquet").is_file(), f"no Parquet export of core.{table} in {parquet}"
    monkeypatch.chdir(_workdir(full_build))
    wildlife_by_year = _exec(recipe("polars-parquet"))["wildlife_by_year"]
    expected = _query(full_build.snapshot,
                      "SELECT p.year, count(*) FROM core.bridge_paragraph_theme pt "
                      "JOIN core.fact_paragraph p USING (paragraph_key) "
                      "WHERE pt.theme = 'wildlife_crime' GROUP BY 1 ORDER BY 1")
    assert expected
    assert wildlife_by_year.rows() == expected


# -- SQLAlchemy and Superset (child processes, like a BI tool) ---------------------------------
def _absolute(code: str, paths: Paths) -> str:
    assert PLACEHOLDER in code
    return code.replace(PLACEHOLDER, str(_workdir(paths)))


_PROBE = """
import json
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

def probe(engine):
    with engine.connect() as conn:
        mode = conn.execute(text("SELECT current_setting('access_mode')")).scalar_one()
        count = conn.execute(text("SELECT count(*) FROM core.dim_resolution WHERE session = :s"), {"s": 78}).scalar_one()
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE core.written_by_a_bi_tool (i INTEGER)"))
        refused = None
    except DBAPIError as exc:
        refused = str(exc.orig)
    schemas = inspect(engine).get_schema_names()
    engine.dispose()
    return {"mode": mode, "count": count, "refused": refused, "schemas": schemas}
"""


def _check_probe(out: dict, paths: Paths) -> None:
    assert out["mode"] == "read_only"
    assert out["count"] == _query(paths.snapshot, "SELECT count(*) FROM core.dim_resolution WHERE session = 78")[0][0]
    assert out["refused"] and "read-only mode" in out["refused"], out["refused"]
    assert {"unga.core", "unga.marts", "unga.ops"} <= set(out["schemas"]), out["schemas"]


def test_sqlalchemy_recipe_reads_and_refuses_writes(full_build):
    code = _absolute(recipe("sqlalchemy"), full_build)
    out = _run_python(code + _PROBE + "\nprint(json.dumps({'resolutions': resolutions, **probe(engine)}))",
                      cwd=REPO)
    # Session 78's 332 resolutions and ES-10/21 and /22, adopted during session 78 (issue 14).
    assert out["resolutions"] == 332 + 2
    _check_probe(out, full_build)


def test_superset_uri_is_read_only(full_build):
    uri = _absolute(recipe("superset-uri"), full_build).strip()
    assert uri.endswith("?access_mode=read_only")
    out = _run_python(_PROBE + textwrap.dedent(f"""
        from sqlalchemy.pool import NullPool
        engine = create_engine({uri!r}, poolclass=NullPool, connect_args={{"config": {SUPERSET_CONFIG!r}}})
        print(json.dumps(probe(engine)))
        """), cwd=REPO)
    _check_probe(out, full_build)


def test_superset_engine_parameters_are_read_only(full_build):
    uri = _absolute(recipe("superset-uri"), full_build).strip().split("?")[0]
    params = json.loads(recipe("superset-engine-parameters"))
    # Superset merges its user agent into the connect_args given in Engine Parameters.
    connect_args = {**params["connect_args"], "config": SUPERSET_CONFIG}
    out = _run_python(_PROBE + textwrap.dedent(f"""
        from sqlalchemy.pool import NullPool
        engine = create_engine({uri!r}, poolclass=NullPool, connect_args={connect_args!r})
        print(json.dumps(probe(engine)))
        """), cwd=REPO)
    _check_probe(out, full_build)


def test_without_read_only_an_engine_could_write(tmp_path, full_build):
    """The control for the two tests above, on a copy: the URI without the option opens read-write."""
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(full_build.snapshot, copy)
    out = _run_python(_PROBE + f"\nprint(json.dumps(probe(create_engine('duckdb:///{copy}'))))", cwd=REPO)
    assert out["mode"] == "automatic" and out["refused"] is None


# -- while the pipeline keeps running ---------------------------------------------------------
_READER = """
import json, sys
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

mode, path, sql = sys.argv[1:4]
uri = f"duckdb:///{path}?access_mode=read_only"

def sessions(conn):
    return conn.execute(text(sql)).scalar_one()

def say(**kw):
    print(json.dumps(kw), flush=True)

if mode == "pool":
    # create_engine's default QueuePool: the connection stays open in the pool between checkouts.
    engine = create_engine(uri)
    with engine.connect() as conn:
        say(before=sessions(conn))
    sys.stdin.readline()
    with engine.connect() as conn:
        pooled = sessions(conn)
    engine.dispose()
    with engine.connect() as conn:
        say(pooled=pooled, after_dispose=sessions(conn))
else:
    # Superset's way: NullPool, one engine per query; a query still running holds its connection.
    engine = create_engine(uri, poolclass=NullPool, connect_args={"config": {"custom_user_agent": "apache-superset/test"}})
    running = engine.connect()
    say(before=sessions(running))
    sys.stdin.readline()
    still_running = sessions(running)
    running.close()
    with engine.connect() as conn:
        say(still_running=still_running, next_query=sessions(conn))
"""


class _Child:
    """A reader in another process that answers one JSON line per step."""

    def __init__(self, args: list[str], cwd: Path):
        self.proc = subprocess.Popen(args, cwd=cwd, env=_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, bufsize=1)

    def send(self, line: str) -> None:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def line(self) -> str:
        ready, _, _ = select.select([self.proc.stdout], [], [], TIMEOUT)
        if not ready:
            raise AssertionError(f"reader {self.proc.args} did not answer within {TIMEOUT} s")
        out = self.proc.stdout.readline()
        if not out:
            raise AssertionError(f"reader {self.proc.args} ended: {self.proc.stderr.read()}")
        return out.strip()

    def json(self) -> dict:
        return json.loads(self.line())

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=TIMEOUT)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            stream.close()


def _deleted_snapshot_fds(snapshot: Path) -> int:
    """Descriptors this process holds on a snapshot file that was renamed over (Linux /proc)."""
    fd_dir = Path("/proc/self/fd")
    count = 0
    for fd in fd_dir.iterdir():
        try:
            if os.readlink(fd) == f"{snapshot} (deleted)":
                count += 1
        except OSError:
            continue
    return count


def _add_session(paths: Paths, session: int) -> None:
    for rel in (ZIP.format(session), META.format(session)):
        target = paths.landing / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(BUNDLED / rel, target)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads open files from Linux's /proc")
def test_readers_keep_their_snapshot_while_the_pipeline_publishes(tmp_path):
    from orchestration.build import build_all

    paths = make_data_dir(tmp_path / "data", [78])
    assert build_all(paths)["status"] == "published"
    snapshot, cwd = paths.snapshot, _workdir(paths)
    first_inode = snapshot.stat().st_ino

    children: list[_Child] = []
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        # Readers open before the build: this process, an interactive DuckDB CLI, and two
        # SQLAlchemy engines in their own processes (a pooled one and Superset's NullPool).
        assert con.execute(SESSIONS_SQL).fetchone()[0] == "78"
        cli = _Child([str(CLI), "-readonly", "-csv", "-noheader", "data/published/unga.duckdb"], cwd)
        children.append(cli)
        cli.send(SESSIONS_SQL + ";")
        assert cli.line() == "78"
        engines = {mode: _Child([sys.executable, "-c", _READER, mode, str(snapshot), SESSIONS_SQL], cwd)
                   for mode in ("pool", "nullpool")}
        children.extend(engines.values())
        assert all(child.json() == {"before": "78"} for child in engines.values())

        # The pipeline keeps running: session 79 lands and is built and published.
        _add_session(paths, 79)
        summary = build_all(paths)
        assert summary["status"] == "published", summary
        assert summary["sessions"] == [78, 79]
        assert snapshot.stat().st_ino != first_inode, "the snapshot was not replaced"
        assert [p.name for p in paths.published_dir.iterdir() if p.name.endswith(".tmp")] == []

        # Open connections still answer, from the snapshot they opened.
        assert con.execute(SESSIONS_SQL).fetchone()[0] == "78"
        assert _deleted_snapshot_fds(snapshot) >= 1, "the old snapshot should be held open, renamed over"
        cli.send(SESSIONS_SQL + ";")
        assert cli.line() == "78"
        for child in engines.values():
            child.send("go")
        assert engines["pool"].json() == {"pooled": "78", "after_dispose": "78 79"}
        assert engines["nullpool"].json() == {"still_running": "78", "next_query": "78 79"}

        # A new connection in another process sees the new snapshot.
        assert _cli(cwd, "-readonly", "-csv", "-noheader", "data/published/unga.duckdb",
                    "-c", SESSIONS_SQL).stdout.strip() == "78 79"
        cli.send(".open --readonly data/published/unga.duckdb")
        cli.send(SESSIONS_SQL + ";")
        assert cli.line() == "78 79"

        # In this process DuckDB shares one database per file: while `con` is open a "new"
        # connection joins it and sees the old snapshot (documented in docs/connect.md).
        joined = duckdb.connect(str(snapshot), read_only=True)
        assert joined.execute(SESSIONS_SQL).fetchone()[0] == "78"
        joined.close()
        con.close()
        assert _deleted_snapshot_fds(snapshot) == 0, "closing the last connection releases the old snapshot"
        con = duckdb.connect(str(snapshot), read_only=True)
        assert con.execute(SESSIONS_SQL).fetchone()[0] == "78 79"
    finally:
        con.close()
        for child in children:
            child.close()


def test_one_process_cannot_mix_a_plain_connection_and_an_engine_on_one_file(tmp_path, full_build):
    """The caveat of docs/connect.md: duckdb-engine's user agent is a different configuration."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    copy = tmp_path / "unga.duckdb"
    shutil.copyfile(full_build.snapshot, copy)
    con = duckdb.connect(str(copy), read_only=True)
    engine = create_engine(f"duckdb:///{copy}?access_mode=read_only")
    try:
        with pytest.raises(OperationalError, match="different configuration"):
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()
        con.close()
    with engine.connect() as conn:  # alone in the process, the engine connects
        assert conn.execute(text("SELECT count(*) FROM core.dim_session")).scalar_one() == 6
    engine.dispose()


def test_a_reader_on_the_working_warehouse_blocks_the_build(tmp_path):
    """Why BI tools must never open data/warehouse/unga.duckdb."""
    from warehouse import pipeline
    from orchestration.build import build_all

    paths = make_data_dir(tmp_path / "data", [78])
    pipeline.open_warehouse(paths.warehouse).close()
    hold = "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only={}); print('open', flush=True); sys.stdin.readline()"

    reader = _Child([sys.executable, "-c", hold.format(True), str(paths.warehouse)], tmp_path)
    try:
        assert reader.line() == "open"
        with pytest.raises(duckdb.IOException, match="Could not set lock on file"):
            build_all(paths)
    finally:
        reader.close()
    assert not paths.snapshot.exists()

    builder = _Child([sys.executable, "-c", hold.format(False), str(paths.warehouse)], tmp_path)
    try:
        assert builder.line() == "open"
        with pytest.raises(duckdb.IOException, match="Could not set lock on file"):
            duckdb.connect(str(paths.warehouse), read_only=True)
    finally:
        builder.close()
