"""`unga` from the terminal: build, status and sql through click's CliRunner.

Every invocation names its data dir (``--data-dir`` or ``UNGA_DATA_DIR`` in the
runner's environment), so ./data is never read or written, even under `make test`
which exports UNGA_DATA_DIR.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys

import duckdb
import pytest
from click.testing import CliRunner

from tests.conftest import REPO, make_data_dir
from orchestration.cli import main
from warehouse.settings import ENV_VAR, Paths

COUNT = "select count(*) as n from core.dim_resolution"
RESOLUTIONS_78 = 332


def _run(*args: str, env: dict | None = None):
    # No data dir inherited from the calling shell unless a test sets one.
    return CliRunner().invoke(main, list(args), env={ENV_VAR: None, **(env or {})})


# What the read-only commands (`unga --help`, sql, search, status, report) must not pay for:
# Dagster, the pipeline and the publisher behind `unga build`, and the suites.
BUILD_MACHINERY = ("dagster", "warehouse.pipeline", "warehouse.publish", "orchestration.build",
                   "orchestration.runner", "expectations", "great_expectations")


def test_importing_the_cli_imports_no_build_machinery():
    # A fresh interpreter: in this one the other tests have imported everything already.
    probe = ("import sys, orchestration.cli; "
             "print('\\n'.join(sorted(m for m in sys.modules if m.split('.')[0] in {'dagster', 'warehouse', "
             "'orchestration', 'expectations', 'great_expectations'})))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.split())
    assert "orchestration.cli" in loaded
    heavy = sorted(m for m in loaded if any(m == h or m.startswith(h + ".") for h in BUILD_MACHINERY))
    assert heavy == [], f"`import orchestration.cli` imports {heavy}"

def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _snapshot_count(paths: Paths) -> int:
    con = duckdb.connect(str(paths.snapshot), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM core.dim_resolution").fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """`unga build --no-dagster` on a data dir with session 78, run once for the read-only tests."""
    paths = make_data_dir(tmp_path_factory.mktemp("cli") / "data", [78])
    result = _run("--data-dir", str(paths.root), "build", "--no-dagster")
    return paths, result


def test_build_no_dagster_publishes(built):
    paths, result = built
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("published in ")
    assert str(paths.snapshot) in result.stdout
    assert "session 78" in result.stderr  # progress goes to stderr
    assert paths.snapshot.is_file()
    assert _snapshot_count(paths) == RESOLUTIONS_78
    last = json.loads(paths.runs_log.read_text(encoding="utf-8").splitlines()[-1])
    assert last["status"] == "published" and last["via"] == "in-process" and last["sessions"] == [78]


def test_status_reports_session_78(built):
    paths, _ = built
    result = _run("status", env={ENV_VAR: str(paths.root)})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert re.search(rf"^data dir\s+{re.escape(str(paths.root.resolve()))}$", out, re.M)
    assert re.search(r"^last run\s+.*published \(in-process,", out, re.M)
    assert re.search(rf"^\s+78\s+{RESOLUTIONS_78}\s+\d+\s+\d+\s+0$", out, re.M), out
    assert re.search(rf"^\s+total\s+{RESOLUTIONS_78}\s", out, re.M), out
    assert re.search(r"^checks\s+all passed$", out, re.M), out
    # Every failed expectation is listed, the non-blocking ones (warnings) too, as the snapshot has them.
    con = duckdb.connect(str(paths.snapshot), read_only=True)
    try:
        total, passed, failed = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE success), list(expectation) FILTER (WHERE NOT success) "
            "FROM ops.suite_result").fetchone()
    finally:
        con.close()
    assert re.search(rf"^expectations {passed} of {total} passed", out, re.M), out
    assert failed, "session 78 has known non-blocking warnings (expectations/suites/quality.py)"
    for name in failed:
        assert re.search(rf"^  warning  quality_warnings: {re.escape(name)} \(\d+ rows?\)$", out, re.M), name


def test_status_without_a_build(tmp_path):
    result = _run("--data-dir", str(tmp_path / "data"), "status")
    assert result.exit_code == 0, result.output
    assert "none yet" in result.stdout
    assert "snapshot   none at" in result.stdout


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_sql_count_in_every_format(built, fmt):
    paths, _ = built
    result = _run("--data-dir", str(paths.root), "sql", COUNT, "--format", fmt)
    assert result.exit_code == 0, result.output
    out = result.stdout
    if fmt == "table":
        lines = out.splitlines()
        assert lines[0].strip() == "n"
        assert set(lines[1].strip()) == {"-"}
        assert lines[2].strip() == str(RESOLUTIONS_78)
        assert lines[3] == "(1 row)"
    elif fmt == "csv":
        assert list(csv.DictReader(io.StringIO(out))) == [{"n": str(RESOLUTIONS_78)}]
    else:
        assert json.loads(out) == [{"n": RESOLUTIONS_78}]


def test_sql_formats_dates_and_limits(built):
    paths, _ = built
    query = "select symbol, adopted_on from core.dim_resolution order by symbol"
    rows = json.loads(_run("--data-dir", str(paths.root), "sql", query, "--format", "json").stdout)
    assert len(rows) == RESOLUTIONS_78
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["adopted_on"]) for r in rows)
    table = _run("--data-dir", str(paths.root), "sql", query).stdout
    assert table.splitlines()[-1] == f"({RESOLUTIONS_78} rows, {RESOLUTIONS_78 - 40} not shown)"
    limited = _run("--data-dir", str(paths.root), "sql", query, "--format", "csv", "--limit", "5").stdout
    assert len(list(csv.DictReader(io.StringIO(limited)))) == 5


def test_sql_cuts_long_cells_only_until_told_not_to(built):
    paths, _ = built
    query = "select symbol, title from core.dim_resolution where length(title) > 100 order by symbol limit 3"
    titles = [r["title"] for r in json.loads(_run("--data-dir", str(paths.root), "sql", query, "--format", "json").stdout)]
    assert len(titles) == 3
    cut = _run("--data-dir", str(paths.root), "sql", query).stdout
    assert not any(t in cut for t in titles)
    assert all(t[:59] + "…" in cut for t in titles)
    assert cut.splitlines()[-1] == "(3 rows; cells cut at 60 characters, --width 0 shows them whole)"
    whole = _run("--data-dir", str(paths.root), "sql", query, "--width", "0").stdout
    assert all(t in whole for t in titles)
    assert whole.splitlines()[-1] == "(3 rows)"
    wider = _run("--data-dir", str(paths.root), "sql", query, "--width", "200").stdout
    assert all(t in wider for t in titles if len(t) <= 200)


def test_sql_without_snapshot_says_to_build(tmp_path):
    paths = make_data_dir(tmp_path / "data", [78])
    result = _run("--data-dir", str(paths.root), "sql", COUNT)
    assert result.exit_code != 0
    assert "no published snapshot" in result.output
    assert "unga build" in result.output
    assert not paths.snapshot.exists()


def test_sql_invalid_query_fails(built):
    paths, _ = built
    result = _run("--data-dir", str(paths.root), "sql", "selec count(*) from core.dim_resolution")
    assert result.exit_code != 0
    assert "query failed" in result.output
    result = _run("--data-dir", str(paths.root), "sql", "select * from core.no_such_table")
    assert result.exit_code != 0
    assert "query failed" in result.output


@pytest.mark.parametrize(
    "statement",
    [
        "create table x as select 1",
        "delete from core.dim_resolution",
        "select 1; delete from core.dim_resolution",
        "drop table core.dim_resolution",
    ],
)
def test_sql_refuses_writes(built, statement):
    paths, _ = built
    before = _sha(paths.snapshot)
    result = _run("--data-dir", str(paths.root), "sql", statement)
    assert result.exit_code != 0
    assert "query failed" in result.output
    assert "read-only" in result.output
    assert _sha(paths.snapshot) == before
    assert _snapshot_count(paths) == RESOLUTIONS_78
    assert json.loads(_run("--data-dir", str(paths.root), "sql", COUNT, "--format", "json").stdout) == [
        {"n": RESOLUTIONS_78}
    ]


@pytest.mark.parametrize(
    "query",
    [
        "select list(adopted_on order by symbol) as dates from core.dim_resolution",
        "select max(adopted_on)::TIMESTAMP - min(adopted_on)::TIMESTAMP as span from core.dim_resolution",
    ],
)
def test_sql_json_handles_nested_and_interval_values(built, query):
    paths, _ = built
    result = _run("--data-dir", str(paths.root), "sql", query, "--format", "json")
    assert result.exit_code == 0, repr(result.exception)
    assert len(json.loads(result.stdout)) == 1


def test_data_dir_flag_wins_over_env(built, tmp_path):
    paths, _ = built
    empty = tmp_path / "empty"
    # Flag on the built dir, env on an empty one: the flag is used.
    result = _run("--data-dir", str(paths.root), "sql", COUNT, "--format", "csv", env={ENV_VAR: str(empty)})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["n", str(RESOLUTIONS_78)]
    # The other way round: the flag's empty dir is used, so there is no snapshot.
    result = _run("--data-dir", str(empty), "sql", COUNT, env={ENV_VAR: str(paths.root)})
    assert result.exit_code != 0
    assert str(empty) in result.output and "unga build" in result.output
    result = _run("--data-dir", str(empty), "status", env={ENV_VAR: str(paths.root)})
    assert re.search(rf"^data dir\s+{re.escape(str(empty.resolve()))}$", result.stdout, re.M)


def test_env_var_used_without_flag(built, tmp_path):
    paths, _ = built
    result = _run("sql", COUNT, "--format", "json", env={ENV_VAR: str(paths.root)})
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"n": RESOLUTIONS_78}]
    empty = tmp_path / "empty"
    result = _run("status", env={ENV_VAR: str(empty)})
    assert re.search(rf"^data dir\s+{re.escape(str(empty.resolve()))}$", result.stdout, re.M)


def test_build_without_landing_fails(tmp_path):
    result = _run("--data-dir", str(tmp_path / "data"), "build", "--no-dagster")
    assert result.exit_code != 0
    assert "no landing folder" in result.output


def test_build_with_dagster(data_dir_78):
    """The real `unga build`: Dagster runs recorded under the data dir, snapshot published."""
    result = _run("build", env={ENV_VAR: str(data_dir_78.root)})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("published in ")
    assert "session 78: success" in result.stderr
    assert _snapshot_count(data_dir_78) == RESOLUTIONS_78
    assert (data_dir_78.dagster_home / "dagster.yaml").is_file()
    status = _run("--data-dir", str(data_dir_78.root), "status")
    assert re.search(r"^last run\s+.*published \(dagster,", status.stdout, re.M), status.stdout
    assert re.search(rf"^\s+78\s+{RESOLUTIONS_78}\s", status.stdout, re.M)
    assert re.search(r"^checks\s+all passed$", status.stdout, re.M)


def test_build_while_another_holds_the_warehouse_says_so(built):
    """Exit code 3 and one clear line, no stack trace, when another process writes the warehouse."""
    import subprocess
    import sys

    paths, _ = built
    before = _sha(paths.snapshot)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
         "time.sleep(60)", str(paths.warehouse)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = subprocess.run([sys.executable, "-m", "orchestration.cli", "--data-dir", str(paths.root), "build",
                                 "--no-dagster"], capture_output=True, text=True, timeout=120)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 3, result.stderr
    assert "is being written by another build" in result.stderr
    assert "Traceback" not in result.stderr
    assert _sha(paths.snapshot) == before
