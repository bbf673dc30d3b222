"""Shared fixtures: temporary data directories laid out like the real one.

Tests never touch ./data: each gets its own data dir under tmp_path whose landing
folder holds copies of the bundled files it needs.

The test run leaves no process behind (issue 21): every process it starts carries
SESSION_MARKER in its environment, and when the run ends, after the worker pool is shut
down, any such process or any descendant of pytest still alive fails the run, named in a
"processes left behind" section.
"""

from __future__ import annotations

import os
import shutil
import signal
import uuid
from multiprocessing import resource_tracker
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests import processes
from warehouse.settings import Paths

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "data" / "landing"
ZIP = "ga-akn/session-{}-English.zip"
META = "ga-akn/metadata/{}.json"


EMERGENCY = "ga-akn/emergency-sessions"


def special_session_files() -> list[str]:
    """The bundled files of the special and emergency special sessions: the loose XML of ES-10 and
    ES-11 and DGACM's extracts named after their session (ES-10.json, S-32.json)."""
    loose = sorted(p.relative_to(BUNDLED).as_posix() for p in (BUNDLED / EMERGENCY).glob("*.xml"))
    extracts = sorted(p.relative_to(BUNDLED).as_posix() for p in (BUNDLED / "ga-akn" / "metadata").glob("*.json")
                      if not p.stem.isdigit())
    return loose + extracts


def make_data_dir(root: Path, sessions: list[int], metadata: bool = True, special_sessions: bool = False) -> Paths:
    """A data dir whose landing holds the bundled zip (and metadata) of the given sessions.

    ``special_sessions`` adds every bundled special and emergency special session file: they
    belong to the sessions their adoption dates fall in (76-79 for ES-10 and ES-11, 75 for S-32),
    whatever ``sessions`` says, since their content, not their folder, places them.
    """
    paths = Paths(root)
    files = [rel for s in sessions for rel in [ZIP.format(s)] + ([META.format(s)] if metadata else [])]
    if special_sessions:
        files += special_session_files()
    for rel in files:
        target = paths.landing / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(BUNDLED / rel, target)
    return paths


@pytest.fixture
def data_dir_78(tmp_path) -> Paths:
    """Session 78 only (332 resolutions): the smallest real build."""
    return make_data_dir(tmp_path / "data", [78])


@pytest.fixture(scope="session")
def built_78(tmp_path_factory) -> Paths:
    """One clean session-78 build (as data_dir_78 + build_all), shared read-only by the test run:
    tests that change it work on a copy (tests/test_pipeline.py clone)."""
    from orchestration.build import build_all

    paths = make_data_dir(tmp_path_factory.mktemp("built78") / "data", [78])
    summary = build_all(paths)
    assert summary["status"] == "published", summary
    return paths


@pytest.fixture(scope="session")
def full_build(tmp_path_factory) -> Paths:
    """All bundled sessions, with the special and emergency special sessions, built once, in process,
    for tests that only read."""
    from orchestration.build import build_all

    paths = make_data_dir(tmp_path_factory.mktemp("full") / "data", [74, 75, 76, 77, 78, 79], special_sessions=True)
    summary = build_all(paths)
    assert summary["status"] == "published", summary
    return paths


@pytest.fixture(scope="module")
def snap(full_build):
    """The full build's snapshot, opened read-only as a client opens it (no extension loaded)."""
    con = duckdb.connect(str(full_build.snapshot), read_only=True)
    yield con
    con.close()


def frame(con, sql: str, params=None) -> pl.DataFrame:
    """The rows of ``sql`` (parameters bound) as a Polars frame."""
    return con.execute(sql, params or []).pl()


# The handlers of the interrupt signals as the run started. Dagster's in-process execution maps
# SIGTERM to SIGINT's handler (dagster._utils.interrupts) and leaves it so. Where the tests were
# started in the background, SIGINT is ignored, so SIGTERM became ignored for the rest of the run,
# and every process a later test started inherited that: test_parallel's child never ended on
# SIGTERM, and Dagster's compute-log tails outlived the run.
_SIGNALS_AT_START = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}


@pytest.fixture(autouse=True)
def _keep_signal_handlers():
    yield
    for sig, handler in _SIGNALS_AT_START.items():
        if handler is not None and signal.getsignal(sig) is not handler:
            signal.signal(sig, handler)


SESSION_MARKER = "UNGA_TEST_SESSION"
LEFTOVER_WAIT = 15.0  # seconds a process gets to exit after the run before it counts as left behind
_LEFT_BEHIND = pytest.StashKey[list]()


def pytest_configure(config: pytest.Config) -> None:
    # Inherited by every process the tests start, and theirs: finds them even once orphaned.
    os.environ[SESSION_MARKER] = f"{os.getpid()}-{uuid.uuid4().hex}"


def _left_behind() -> list[processes.Proc]:
    """Processes of this run still alive: pytest's descendants and whatever carries the marker.

    Not pytest's own multiprocessing resource tracker: it exits when pytest does (it reads
    EOF once the last holder of its pipe, pytest, is gone; the workers, the other holders,
    were shut down, and one left alive would be listed itself)."""
    me = os.getpid()
    tracker = getattr(resource_tracker._resource_tracker, "_pid", None)
    found = {*processes.descendants(me), *processes.carrying(SESSION_MARKER, os.environ.get(SESSION_MARKER, "-"))}
    return [p for p in found if p.pid != me and p.pid != tracker]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from transforms import parallel

    parallel.shutdown()
    # Polled: a process killed by a test's teardown, or a worker whose build just ended, may take a
    # moment to go on a loaded machine; only one still alive after LEFTOVER_WAIT counts.
    left = processes.survivors(_left_behind, LEFTOVER_WAIT)
    session.config.stash[_LEFT_BEHIND] = left
    if left and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    left = config.stash.get(_LEFT_BEHIND, [])
    if left:
        terminalreporter.section("processes left behind", red=True, bold=True)
        terminalreporter.write_line(f"{len(left)} process(es) the tests started were still running "
                                    f"{LEFTOVER_WAIT:.0f} s after the run (the run fails; issue 21):", red=True)
        for proc in left:
            terminalreporter.write_line(f"  {proc}")
