"""A build killed part-way leaves the published snapshot as it was, and the next build completes.

Issue 6: "A test kills a build part-way (a real process, killed) and shows the snapshot
unchanged and the next build complete."

Session 78 is built and published; session 79's files then land and ``unga build
--no-dagster`` runs in a child process, which is SIGKILLed at a chosen point. The
points are reached deterministically, not by sleeping: a small hook in the child (no
change to the code under test) announces the point on stderr and waits there, and the
parent kills it as soon as it reads the announcement:

* ``raw``: inside session 79's raw transaction, after its documents were inserted;
* ``staging``: inside session 79's staging transaction, after its paragraphs were inserted;
* ``publish``: while the new snapshot is being written under its temporary name
  (``published/.unga.duckdb.<id>.tmp``, asserted to exist), its Parquet files half written;
* ``progress``: no hook; killed the moment the first real progress line of session 79
  appears (its raw layer's counts), wherever the build then is.

After the kill: the published snapshot is byte-identical and still opens read-only with
session 78 only; nothing half-written is visible under a published name; the working
warehouse reopens (DuckDB replays or discards its WAL) without the killed transaction's
rows; and the next build completes and publishes sessions 78 and 79.

Issue 21: within 5 seconds of the kill, no process the build started is alive: not its two
worker processes (``UNGA_WORKERS=2``), not the multiprocessing resource tracker, nothing
else. They are recorded before the kill (the build's process tree) and found after it by a
marker in their environment, since an orphan leaves the tree. A build that fails (the
``fail`` point raises where ``raw`` pauses) ends its workers too.
"""

from __future__ import annotations

import hashlib
import os
import select
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import duckdb
import pytest

from tests import processes
from tests.conftest import BUNDLED, META, ZIP, make_data_dir
from warehouse import pipeline
from orchestration.build import build_all
from warehouse.settings import Paths

REPO = Path(__file__).resolve().parent.parent
# Runs `unga --data-dir DIR build --no-dagster` in the child, with a pause at the kill point.
CHILD = r"""
import os, sys, time

point = os.environ["UNGA_KILL_POINT"]


def pause(what):
    sys.stderr.write(f"KILLPOINT {what}\n")
    sys.stderr.flush()
    time.sleep(600)  # the parent kills us here


from warehouse import db, exports

if point in ("raw", "staging", "fail"):
    real_insert = db.insert_frame

    def insert_frame(con, table, frame, **constants):
        n = real_insert(con, table, frame, **constants)
        if point == "raw" and table == "raw.document" and 79 in frame["session"].to_list():
            pause("raw.document of session 79 inserted, transaction open")
        if point == "fail" and table == "raw.document" and 79 in frame["session"].to_list():
            import multiprocessing
            sys.stderr.write(f"WORKERS {' '.join(str(p.pid) for p in multiprocessing.active_children())}\n")
            raise RuntimeError("a build that fails in session 79's raw layer")
        if point == "staging" and table == "staging.paragraph" and constants.get("session") == 79:
            pause("staging.paragraph of session 79 inserted, transaction open")
        return n

    db.insert_frame = insert_frame
elif point == "publish":
    real_network = exports.write_citation_network

    def write_citation_network(con, folder):
        pause("snapshot written under its temporary name, Parquet files written, exports not yet")
        return real_network(con, folder)

    exports.write_citation_network = write_citation_network

from orchestration.cli import main

main(["--data-dir", sys.argv[1], "build", "--no-dagster"])
"""
KILL_POINTS = ["raw", "staging", "publish", "progress"]
MARKER = "UNGA_TEST_BUILD"  # in the environment of every process the build starts
GONE_WITHIN = 5.0  # seconds after the kill


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def visible(published: Path) -> dict[str, str | None]:
    """What a reader sees under the published names: file -> sha256, link -> its target."""
    out = {}
    for name in sorted(os.listdir(published)):
        if name.startswith("."):
            continue
        path = published / name
        out[name] = os.readlink(path) if path.is_symlink() else (sha(path) if path.is_file() else "dir")
    return out


def read_snapshot(paths: Paths) -> tuple:
    con = duckdb.connect(str(paths.snapshot), read_only=True)
    try:
        return (con.execute("SELECT sessions FROM ops.build_info").fetchone()[0],
                con.execute("SELECT session, count(*) FROM core.dim_resolution GROUP BY 1 ORDER BY 1").fetchall(),
                con.execute("SELECT sum(violations) FROM ops.check_result").fetchone()[0])
    finally:
        con.close()


@pytest.fixture(scope="module")
def published_78(tmp_path_factory) -> Paths:
    paths = make_data_dir(tmp_path_factory.mktemp("crash78") / "data", [78])
    assert build_all(paths)["status"] == "published"
    return paths


def start_build(paths: Paths, point: str, marker: str) -> subprocess.Popen:
    """``unga build --no-dagster`` in a child process, with two workers and ``marker`` in its environment."""
    env = {**os.environ, "UNGA_KILL_POINT": point, "PYTHONUNBUFFERED": "1", "UNGA_WORKERS": "2", MARKER: marker}
    return subprocess.Popen([sys.executable, "-c", CHILD, str(paths.root)], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, bufsize=1)


def assert_all_gone(recorded: list[processes.Proc], marker: str, since: float, what: str) -> None:
    """No process of ``recorded`` nor any carrying ``marker`` is alive GONE_WITHIN seconds after ``since``."""
    left = processes.survivors(lambda: [*recorded, *processes.carrying(MARKER, marker)],
                               max(0.0, since + GONE_WITHIN - time.monotonic()))
    assert not left, (f"{len(left)} process(es) the build started still alive {GONE_WITHIN:.0f} s after {what}:\n"
                      + "\n".join(map(str, left)))


def run_until(paths: Paths, point: str, timeout: float = 300) -> tuple[subprocess.Popen, list[str]]:
    """Start the build in a child process and SIGKILL it at ``point``; returns it and its stderr lines.

    Also asserts that its workers and resource tracker were running when it was killed, and
    that within GONE_WITHIN seconds of the kill none of its processes is alive.
    """
    marker = uuid.uuid4().hex
    proc = start_build(paths, point, marker)
    lines: list[str] = []
    started: list[processes.Proc] = []
    killed_at = None
    deadline = time.monotonic() + timeout
    try:
        while True:
            ready, _, _ = select.select([proc.stderr], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                pytest.fail(f"the build never reached {point!r} in {timeout} s: {lines[-20:]}")
            line = proc.stderr.readline()
            if not line:
                pytest.fail(f"the build ended (code {proc.wait()}) before {point!r}: {lines[-20:]}")
            lines.append(line.rstrip("\n"))
            reached = line.startswith("KILLPOINT") if point != "progress" else "session 79:" in line
            if reached:
                if point == "publish":
                    tmp = list(paths.published_dir.glob(".unga.duckdb.*.tmp"))
                    assert tmp, "no temporary snapshot at the publish kill point"
                started = processes.descendants(proc.pid)
                os.kill(proc.pid, signal.SIGKILL)
                killed_at = time.monotonic()
                break
    finally:
        if killed_at is None and proc.poll() is None:  # failed before the kill point: leave nothing running
            proc.kill()
        proc.wait(timeout=60)
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, lines)
    # The build had started its workers (parallel.start, before the raw layer) and with them the
    # tracker; publication stops the workers first (it uses none: their memory is given back).
    workers = 0 if point == "publish" else 2
    assert sum("spawn_main" in p.cmd for p in started) == workers, list(map(str, started))
    assert any("resource_tracker" in p.cmd for p in started), list(map(str, started))
    assert_all_gone(started, marker, killed_at, f"the build was killed at {point!r}")
    return proc, lines


@pytest.mark.parametrize("point", KILL_POINTS)
def test_killed_build_leaves_the_snapshot_and_the_next_build_completes(published_78, tmp_path, point):
    paths = Paths(tmp_path / "data")
    shutil.copytree(published_78.root, paths.root, symlinks=True)
    before_sha, before_visible = sha(paths.snapshot), visible(paths.published_dir)
    before = read_snapshot(paths)
    assert before == ("78", [(78, 332)], 0)
    for rel in (ZIP.format(79), META.format(79)):
        shutil.copyfile(BUNDLED / rel, paths.landing / rel)

    _, lines = run_until(paths, point)
    assert any("[1/2] session 78:" in ln for ln in lines), lines  # killed in session 79, after session 78

    # The snapshot is the one published before, byte for byte, and reads as before.
    assert sha(paths.snapshot) == before_sha
    assert read_snapshot(paths) == before
    # Nothing half-written under a published name: the snapshot, and the parquet/exports links
    # still pointing at the last good publication (a temporary file, if left, is hidden).
    assert visible(paths.published_dir) == before_visible
    for link in ("parquet", "exports"):
        assert (paths.published_dir / link).resolve().is_dir()
    leftovers = sorted(p.name for p in paths.published_dir.iterdir() if p.name.startswith("."))
    assert all(n.startswith(".unga.duckdb.") and n.endswith((".tmp", ".tmp.wal")) for n in leftovers), leftovers

    # The working warehouse reopens; the transaction the kill interrupted left nothing behind.
    con = pipeline.open_warehouse(paths.warehouse)
    try:
        layers = {layer for (layer,) in con.execute("SELECT layer FROM raw.load_state WHERE session = 79").fetchall()}
        raw_docs = con.execute("SELECT count(*) FROM raw.document WHERE session = 79").fetchone()[0]
        paragraphs = con.execute("SELECT count(*) FROM staging.paragraph WHERE session = 79").fetchone()[0]
        if point == "raw":
            assert (layers, raw_docs) == (set(), 0)
        if point == "staging":
            assert layers == {"raw"} and raw_docs > 0 and paragraphs == 0
        if point == "publish":
            assert layers == {"raw", "staging", "core", "enrich", "marts"}
        assert ("staging" in layers) == (paragraphs > 0)
        assert con.execute("SELECT count(*) FROM raw.load_state WHERE session = 78").fetchone()[0] == 5
    finally:
        con.close()

    # The next build completes and publishes both sessions.
    said: list[str] = []
    summary = build_all(paths, progress=said.append)
    assert summary["status"] == "published", (summary, said)
    assert "[1/2] session 78: raw unchanged, staging unchanged, core unchanged, enrich unchanged, marts unchanged" \
        in said
    sessions, counts, violations = read_snapshot(paths)
    assert sessions == "78,79" and violations == 0
    assert [s for s, _ in counts] == [78, 79] and dict(counts)[78] == 332 and dict(counts)[79] > 300
    assert sha(paths.snapshot) != before_sha
    # A temporary file the killed build left is harmless: hidden, never read, and not the snapshot.
    for name in os.listdir(paths.published_dir):
        if name.startswith("."):
            assert name.startswith(".unga.duckdb.") and name != paths.snapshot.name, name


def test_publish_removes_the_temporaries_a_killed_publish_left(published_78, tmp_path):
    paths = Paths(tmp_path / "data")
    shutil.copytree(published_78.root, paths.root, symlinks=True)
    stale = paths.published_dir / ".unga.duckdb.deadbeef.tmp"
    stale.write_bytes(b"half a snapshot")
    (paths.published_dir / ".unga.duckdb.deadbeef.tmp.wal").write_bytes(b"")
    assert build_all(paths)["status"] == "published"
    assert sorted(p.name for p in paths.published_dir.iterdir() if p.name.startswith(".")) == []


def test_publish_keeps_the_previous_publication_not_a_killed_one(published_78, tmp_path):
    paths = Paths(tmp_path / "data")
    shutil.copytree(published_78.root, paths.root, symlinks=True)
    previous = (paths.published_dir / "parquet").resolve().parent
    killed = previous.with_name(previous.name + "-killed")  # sorts after it, before the next one
    (killed / "parquet" / "core").mkdir(parents=True)
    assert build_all(paths, force=True)["status"] == "published"  # nothing changed: force a publication
    current = (paths.published_dir / "parquet").resolve().parent
    assert sorted(os.listdir(paths.published_dir / "files")) == sorted([previous.name, current.name])


def test_a_failed_build_ends_its_workers(published_78, tmp_path):
    """A build that fails (an error in session 79's raw layer, after the workers started) exits with code 3
    and leaves no process behind: its workers stop when it exits."""
    paths = Paths(tmp_path / "data")
    shutil.copytree(published_78.root, paths.root, symlinks=True)
    for rel in (ZIP.format(79), META.format(79)):
        shutil.copyfile(BUNDLED / rel, paths.landing / rel)
    marker = uuid.uuid4().hex
    proc = start_build(paths, "fail", marker)
    try:
        _, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 3 and "a build that fails in session 79's raw layer" in err, (proc.returncode, err)
    workers = [line.split()[1:] for line in err.splitlines() if line.startswith("WORKERS")]
    assert len(workers) == 1 and len(workers[0]) == 2, err  # it had started its two workers
    assert_all_gone([], marker, time.monotonic(), "the failed build exited")
