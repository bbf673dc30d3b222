"""The worker processes of parsing and extraction, and the other speed-ups of issue 8.

What is fast must also be the same: results over worker processes equal the results in
one process; cached reference files are fresh and private; the whitespace fast path of
normalise agrees with the regex it replaced.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import processes
from transforms import extract, parallel, text, yamlio
from warehouse.pipeline import extraction_inputs

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def fresh_pool(monkeypatch):
    """A pool of two workers for this test, stopped afterwards (whatever the machine's cores)."""
    monkeypatch.setenv(parallel.ENV_VAR, "2")
    monkeypatch.setattr(parallel, "_failed", False)
    parallel.shutdown()
    yield
    parallel.shutdown()


def _square(x: int) -> int:
    return x * x


def _pid(_: int) -> int:
    return os.getpid()


def _die_in_a_worker(item: tuple[int, int]) -> int:
    parent, x = item
    if os.getpid() != parent:
        os._exit(3)  # a worker killed mid-task (out of memory, say)
    return -x


def test_map_ordered_keeps_the_order_and_uses_other_processes(fresh_pool):
    items = list(range(200))
    assert parallel.map_ordered(_square, items, chunksize=7) == [x * x for x in items]
    pids = set(parallel.map_ordered(_pid, list(range(50))))
    assert os.getpid() not in pids and len(pids) >= 1


def test_one_worker_means_no_pool(monkeypatch):
    monkeypatch.setenv(parallel.ENV_VAR, "1")
    assert parallel.workers() == 1
    assert set(parallel.map_ordered(_pid, [1, 2, 3])) == {os.getpid()}


def test_a_bad_worker_count_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(parallel.ENV_VAR, "many")
    with pytest.raises(ValueError, match="UNGA_WORKERS='many'"):
        parallel.workers()


def test_a_broken_pool_falls_back_to_this_process(fresh_pool):
    items = [(os.getpid(), x) for x in range(6)]
    assert parallel.map_ordered(_die_in_a_worker, items) == [-x for x in range(6)]
    assert parallel._failed  # and it does not try again in this process
    assert set(parallel.map_ordered(_pid, [1, 2])) == {os.getpid()}


def test_workers_that_cannot_start_fall_back(tmp_path):
    """Code piped to `python -` has a main module the spawned workers cannot import."""
    code = ("from transforms import parallel\n"
            "import os\nos.environ['UNGA_WORKERS'] = '2'\n"
            "print(parallel.map_ordered(abs, [-1, -2, -3]))\n")
    done = subprocess.run([sys.executable, "-"], input=code, capture_output=True, text=True, timeout=120,
                          cwd=os.getcwd())
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[1, 2, 3]"
    assert "working in one process" in done.stderr


# A process with two workers, ended in one of four ways once its workers ran (issue 21).
ENDED = r"""
import os, signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_DFL)  # SIGTERM ends it, whatever the run's parent ignores
os.environ["UNGA_WORKERS"] = "2"
from tests import processes
from transforms import parallel

how = sys.argv[1]
assert parallel.map_ordered(abs, [-1, -2, -3, -4]) == [1, 2, 3, 4]
if how in ("kill", "term"):
    pool = parallel._get_pool()
    busy = [pool.submit(processes.spin, 600) for _ in range(2)]  # both workers mid-task when it dies
    time.sleep(0.5)
    assert all(f.running() for f in busy), busy
print("READY", flush=True)
if how in ("exit", "error"):
    sys.stdin.readline()  # until the test has seen the workers: ending at once raced its look
if how == "error":
    raise RuntimeError("a failed build")
if how in ("kill", "term"):
    time.sleep(600)
"""


@pytest.mark.parametrize("how", ["kill", "term", "exit", "error"])
def test_workers_end_with_their_process(how):
    """However the process that started the pool ends (SIGKILL, SIGTERM: no exit handlers run; a normal
    exit; an uncaught error), its workers and its resource tracker are gone within 5 seconds."""
    proc = subprocess.Popen([sys.executable, "-c", ENDED, how], cwd=REPO, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "READY", proc.stderr.read() if proc.poll() is not None else ""
        # Polled: a worker just forked shows its parent's command line until it has exec'd.
        deadline = time.monotonic() + 10
        while True:
            started = processes.descendants(proc.pid)
            if sum("spawn_main" in p.cmd for p in started) == 2 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert sum("spawn_main" in p.cmd for p in started) == 2, list(map(str, started))
        assert any("resource_tracker" in p.cmd for p in started), list(map(str, started))
        if how in ("kill", "term"):
            os.kill(proc.pid, signal.SIGKILL if how == "kill" else signal.SIGTERM)
        else:
            proc.stdin.write("end\n")  # the workers are seen: now it may exit or fail
            proc.stdin.flush()
        ended = time.monotonic()
        code = proc.wait(timeout=60)
        assert code == {"kill": -signal.SIGKILL, "term": -signal.SIGTERM, "exit": 0, "error": 1}[how], code
        left = processes.survivors(lambda: started, max(0.0, ended + 5 - time.monotonic()))
        assert not left, f"still alive 5 s after the process ended ({how}): {list(map(str, left))}"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdin.close()
        proc.stdout.close()
        proc.stderr.close()


def test_workers_outlive_the_thread_that_started_them(fresh_pool):
    """Workers spawned from a thread that then ended keep working (a parent-death signal, which fires when
    the spawning *thread* exits, would have killed them): the next map runs on the same workers."""
    first: list[int] = []
    thread = threading.Thread(target=lambda: first.extend(parallel.map_ordered(_pid, list(range(20)))))
    thread.start()
    thread.join()
    workers = {p.pid for p in multiprocessing.active_children()}  # spawned by the thread, in submit()
    assert len(workers) == 2 and set(first) <= workers
    time.sleep(5 * parallel.WATCH_INTERVAL)  # the workers' watchdogs look at their parent meanwhile
    assert {p.pid for p in multiprocessing.active_children()} == workers
    assert set(parallel.map_ordered(_pid, list(range(20)))) <= workers
    assert parallel.map_ordered(_square, list(range(50)), chunksize=3) == [x * x for x in range(50)]
    assert not parallel._failed


def test_split_covers_every_item_once():
    for n in (0, 1, 5, 16):
        for parts in (1, 2, 3, 8):
            ranges = parallel.split(n, parts)
            assert [i for r in ranges for i in r] == list(range(n))
            assert len(ranges) == min(parts, n) or n == 0


def test_extraction_over_workers_equals_one_process(full_build, fresh_pool):
    """Split by resolution over two workers, the bridges are the rows one call gives."""
    con = duckdb.connect(str(full_build.warehouse), read_only=True)
    try:
        paragraphs, footnotes, citations = extraction_inputs(con, 78)
    finally:
        con.close()
    together = extract.extract_batch((paragraphs, footnotes, citations))
    spread = extract.extract(paragraphs, footnotes, citations)
    assert set(spread) == set(together) == {"themes", "actors", "mandates", "instruments"}
    for key, frame in together.items():
        assert frame.height > 0, key
        assert spread[key].sort(frame.columns).equals(frame.sort(frame.columns)), key


def test_parse_documents_keeps_order_and_reports_rejections(fresh_pool):
    from tests.conftest import BUNDLED, ZIP
    import zipfile

    with zipfile.ZipFile(BUNDLED / ZIP.format(78)) as zf:
        names = sorted(n for n in zf.namelist() if n.endswith(".xml"))[:12]
        items = [("xml", zf.read(n), n) for n in names]
    items.insert(5, ("xml", b"<not-closed>", "broken.xml"))
    got = extract.parse_documents(items)
    assert len(got) == 13
    assert isinstance(got[5], str) and got[5].startswith("broken.xml: malformed XML")
    serial = [extract.parse_document(i) for i in items]
    assert [r if isinstance(r, str) else [x.symbol for x in r] for r in got] == \
           [r if isinstance(r, str) else [x.symbol for x in r] for r in serial]


def test_yaml_reads_are_cached_fresh_and_private(tmp_path):
    path = tmp_path / "ref.yaml"
    path.write_text("themes:\n  - code: a\n", encoding="utf-8")
    first = yamlio.read(path)
    first["themes"].append({"code": "mutated"})
    assert yamlio.read(path) == {"themes": [{"code": "a"}]}  # callers get copies
    path.write_text("themes:\n  - code: b\n  - code: c\n", encoding="utf-8")
    assert yamlio.read(path) == {"themes": [{"code": "b"}, {"code": "c"}]}  # a changed file is read again


_WS = re.compile(r"\s+")


def _normalise_with_regex(t: str) -> str:
    """normalise as it was before its fast path (a regex over every text)."""
    if not t:
        return ""
    if not t.isascii():
        if not unicodedata.is_normalized("NFC", t):
            t = unicodedata.normalize("NFC", t)
        if text._NEEDS_TRANSLATE.search(t):
            t = t.translate(text._INVISIBLE)
    t = _WS.sub(" ", t).strip()
    for pair in text._PUNCT_AFTER_SPACE:
        t = t.replace(pair, pair[1])
    for pair in text._OPEN_BEFORE_SPACE:
        t = t.replace(pair, pair[0])
    return t


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(
    [chr(i) for i in range(0x80)] + ["\xa0", "\u2009", "\u200b", "\u2011", "\x85", "\u3000", "\u2028", "é",
                                     "e\u0301", " ", "  ", ",", "("]), max_size=40).map("".join))
def test_normalise_fast_path_agrees_with_the_regex(s):
    assert text.normalise(s) == _normalise_with_regex(s)


def test_dashboard_sql_is_not_part_of_the_build_versions():
    """Editing a dashboard query must not re-parse the corpus or rewrite the snapshot: no model's
    code, nor the parsers', nor the publisher's state reads warehouse/sql/dashboard."""
    from warehouse import db, pipeline
    from warehouse.registry import code_files, registry

    dashboard = (db.SQL_ROOT / "dashboard").resolve()
    files = code_files(pipeline.STAGING_CODE) | {
        p for m in registry().models.values() for p in {m.path, *code_files(m.code)}}
    assert len(files) > 50
    assert not [p for p in files if p.resolve().is_relative_to(dashboard)]
    assert not pipeline._builds(dashboard / "theme_trend.sql")
    assert pipeline._builds(db.SQL_ROOT / "checks" / "unique_keys.sql")
