"""What runs in each child process of the benchmark (``python -m benchmarks.run --worker NAME``):
the in-process and Dagster builds with their stage timings and memory, the floors, the query latencies."""

from __future__ import annotations

import os
import resource
import statistics
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.config import QUERY_RUNS, RARE_WORD


def peak_mb() -> float:
    """Peak resident memory of this process plus that of its largest worker process.

    ru_maxrss is in KiB on Linux. The parse and extraction workers (transforms.parallel)
    are stopped first, so RUSAGE_CHILDREN covers them; adding the largest child's peak to
    ours over-counts (the peaks need not coincide) rather than hides memory.
    """
    from transforms import parallel

    parallel.shutdown()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + child) / 1024


# ---------------------------------------------------------------------------- workers
class StageTimer:
    """Wraps module functions to add up their wall time, calls, and a size per call."""

    def __init__(self) -> None:
        self.stages: dict[str, dict[str, float]] = {}

    def wrap(self, module, attr: str, name: str, size=None) -> None:
        """Time ``module.attr`` as stage ``name``; a function a revision no longer has (the
        search index, once built per session) is left out, and its stage reads 0."""
        original = getattr(module, attr, None)
        if original is None:
            return
        stage = self.stages.setdefault(name, {"seconds": 0.0, "calls": 0, "size": 0})

        def timed(*args, **kwargs):
            started = time.perf_counter()
            result = None
            try:
                result = original(*args, **kwargs)
                return result
            finally:
                stage["seconds"] += time.perf_counter() - started
                stage["calls"] += 1
                if size is not None and result is not None:
                    stage["size"] += size(args, result)

        setattr(module, attr, timed)


def instrument() -> StageTimer:
    import expectations.gate
    import orchestration.build
    import transforms.extract
    import warehouse.db
    import warehouse.publish
    from warehouse import ingest, pipeline

    t = StageTimer()
    t.wrap(orchestration.build, "scan_landing", "scan_landing")
    t.wrap(pipeline, "load_raw", "raw layer", lambda a, r: r.counts.get("documents", 0))
    t.wrap(pipeline, "build_staging", "staging layer")
    t.wrap(transforms.extract, "parse_documents", "parse",
           lambda a, r: sum(len(content) for fmt, content, _ in a[0] if fmt != "text"))
    t.wrap(ingest, "parse_metadata_jsonl", "parse_metadata_jsonl")
    t.wrap(ingest, "resolution_frames", "resolution_frames")
    t.wrap(warehouse.db, "insert_frame", "insert_frame", lambda a, r: r)
    t.wrap(pipeline, "build_core", "core layer", lambda a, r: r.counts.get("paragraphs", 0))
    t.wrap(pipeline, "build_enrich", "enrich layer")
    t.wrap(transforms.extract, "extract", "extraction")
    t.wrap(pipeline, "resolution_actors", "actors: resolution_actors")
    t.wrap(pipeline, "build_marts", "session marts")
    t.wrap(pipeline, "build_global_marts", "global marts")
    t.wrap(pipeline, "run_checks", "checks")
    t.wrap(orchestration.build, "publish_and_report", "publish + report")
    _time_search_models(t)
    # The gate's own step (one GE context for both suite runs), not run_raw_suites, which it
    # no longer calls.
    t.wrap(expectations.gate.SuitesGate, "on_warehouse", "publish: raw suite")
    t.wrap(expectations.gate, "validate_snapshot", "publish: snapshot suites")
    t.wrap(warehouse.publish.exports, "write_files", "publish: export files")
    t.wrap(orchestration.build, "write_report", "quality report")
    return t


def _time_search_models(t: StageTimer) -> None:
    """Time the search models (marts.paragraph_search, marts.paragraph_term) inside the
    session marts: the full-text index the build keeps per session, which publication
    used to rebuild over every paragraph ("publish: search index" before)."""
    from warehouse import steps

    original = steps.run_build
    stage = t.stages.setdefault("search tables", {"seconds": 0.0, "calls": 0, "size": 0})

    def timed(con, model, session):
        if model.name not in ("marts._search_body", "marts._search_term", "marts.paragraph_search",
                              "marts.paragraph_term"):
            return original(con, model, session)
        started = time.perf_counter()
        try:
            return original(con, model, session)
        finally:
            stage["seconds"] += time.perf_counter() - started
            stage["calls"] += 1

    steps.run_build = timed


class MemorySampler:
    """Samples the resident memory of this process and its workers, per build phase.

    A thread reads /proc every 0.2 s; the phase is the last progress line of the build
    ("session 75", "marts over all sessions", "suites and publication"), so the report can
    say where the peak is, not only how high it is.
    """

    def __init__(self) -> None:
        self.phase = "start"
        self.peaks: dict[str, float] = {}
        self.split: dict[str, tuple[float, float]] = {}  # at each phase's peak: (this process, workers)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _rss_kb(pid: int | str) -> int:
        try:
            with open(f"/proc/{pid}/status", encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _children(self) -> list[str]:
        out = []
        try:
            for task in os.listdir("/proc/self/task"):
                with open(f"/proc/self/task/{task}/children", encoding="utf-8") as fh:
                    out += fh.read().split()
        except OSError:
            pass
        return out

    def sample(self) -> None:
        own = self._rss_kb("self") / 1024
        workers = sum(self._rss_kb(c) for c in self._children()) / 1024
        if own + workers > self.peaks.get(self.phase, 0):
            self.peaks[self.phase] = own + workers
            self.split[self.phase] = (own, workers)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.sample()

    def progress(self, message: str) -> None:
        text = message.split(": ", 1)[0].split("] ", 1)[-1]
        self.phase = "writing the snapshot" if text.startswith("published ") else text[:60]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def worker_inprocess(root: str, sessions: list[int] | None = None, stages: bool = False) -> dict:
    """One ``build_all`` (what ``unga build --no-dagster`` does), optionally with stage timings."""
    from orchestration.build import build_all
    from warehouse.settings import Paths

    timer = instrument() if stages else None
    started = time.perf_counter()
    with MemorySampler() as memory:
        summary = build_all(Paths(Path(root)), sessions=sessions, progress=memory.progress)
    from transforms.parallel import workers

    out = {"seconds": time.perf_counter() - started, "status": summary["status"], "peak_mb": peak_mb(),
           "workers": workers(), "memory_by_phase": memory.peaks,
           "memory_split": memory.split}
    if timer:
        out["stages"] = timer.stages
    return out


def worker_dagster(root: str) -> dict:
    """One ``build_with_dagster`` (what ``unga build`` does)."""
    from orchestration.runner import build_with_dagster
    from warehouse.settings import Paths

    started = time.perf_counter()
    summary = build_with_dagster(Paths(Path(root)))
    return {"seconds": time.perf_counter() - started, "status": summary["status"], "peak_mb": peak_mb()}


def worker_floors(landing: str, warehouse: str) -> dict:
    """The physical floors: bare lxml parse of every XML member, Arrow -> DuckDB bulk insert."""
    import zipfile

    import duckdb
    from lxml import etree

    blobs = []
    for path in sorted(Path(landing).rglob("*.zip")):
        with zipfile.ZipFile(path) as z:
            blobs += [z.read(n) for n in z.namelist() if n.lower().endswith(".xml")]
    started = time.perf_counter()
    for blob in blobs:
        etree.fromstring(blob)
    parse_s = time.perf_counter() - started

    # The same work in one process, for the per-core cost (the build spreads it over workers).
    from transforms.akn import parse_akn

    started = time.perf_counter()
    for i, blob in enumerate(blobs):
        try:
            parse_akn(blob, f"doc{i}.xml")
        except Exception:  # noqa: BLE001 -- counted like the build: rejected, time still spent
            pass
    serial_parse_s = time.perf_counter() - started
    serial = serial_extraction(warehouse)

    with duckdb.connect(warehouse, read_only=True) as src:
        paragraphs = src.execute("SELECT * FROM core.fact_paragraph").arrow()
        paragraphs = paragraphs.read_all() if hasattr(paragraphs, "read_all") else paragraphs  # a reader in 1.5
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(Path(tmp) / "floor.duckdb"))
        con.register("paragraphs", paragraphs)
        con.execute("CREATE TABLE t AS SELECT * FROM paragraphs LIMIT 0")
        started = time.perf_counter()
        con.execute("BEGIN")
        con.execute("INSERT INTO t SELECT * FROM paragraphs")
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        insert_s = time.perf_counter() - started
        con.close()
    return {"xml_files": len(blobs), "xml_bytes": sum(map(len, blobs)), "lxml_seconds": parse_s,
            "serial_parse_seconds": serial_parse_s, "serial_extraction": serial,
            "arrow_rows": paragraphs.num_rows, "arrow_seconds": insert_s}


def serial_extraction(warehouse: str) -> dict[str, float]:
    """Each extractor over every session's paragraphs, one session at a time, in this process.

    The extractors as a build's worker runs them (transforms.extract.extract_batch): actors
    and mandates from one analysis. ``python -m benchmarks.extraction`` times each one alone.
    """
    import duckdb

    from transforms.actors import actors_and_mandates
    from transforms.instruments import paragraph_instruments
    from transforms.themes import tag_paragraphs
    from warehouse.pipeline import extraction_inputs

    times = {"themes: tag_paragraphs": 0.0, "actors + mandates: actors_and_mandates": 0.0,
             "instruments: paragraph_instruments": 0.0}
    with duckdb.connect(warehouse, read_only=True) as con:
        sessions = [r[0] for r in con.execute("SELECT DISTINCT session FROM core.fact_paragraph ORDER BY 1").fetchall()]
        for session in sessions:
            paragraphs, footnotes, citations = extraction_inputs(con, session)
            t = time.perf_counter()
            tag_paragraphs(paragraphs)
            times["themes: tag_paragraphs"] += time.perf_counter() - t
            t = time.perf_counter()
            actors_and_mandates(paragraphs)
            times["actors + mandates: actors_and_mandates"] += time.perf_counter() - t
            t = time.perf_counter()
            paragraph_instruments(paragraphs, footnotes, citations)
            times["instruments: paragraph_instruments"] += time.perf_counter() - t
    return times


def _latency(fn, runs: int) -> dict:
    first = time.perf_counter()
    fn()
    first = time.perf_counter() - first
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"first_ms": first * 1000, "median_ms": statistics.median(times),
            "p95_ms": times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]}


def worker_queries(snapshot: str, runs: int = QUERY_RUNS) -> dict:
    """Latency of mart queries and searches on the published snapshot (each on an open connection)."""
    from warehouse.publish import open_snapshot
    from warehouse.search import open_search, search

    marts = {
        "marts.environmental_crime_trend (all rows)": "SELECT * FROM marts.environmental_crime_trend",
        "marts.theme_trend_by_year (all rows)": "SELECT * FROM marts.theme_trend_by_year",
        "marts.theme_trend_by_year (mentions by theme)":
            "SELECT theme, sum(mentions) AS m FROM marts.theme_trend_by_year GROUP BY 1 ORDER BY 2 DESC",
        "marts.instrument_citations_by_year (top 20)":
            "SELECT instrument_id, sum(citations) c FROM marts.instrument_citations_by_year "
            "GROUP BY 1 ORDER BY 2 DESC LIMIT 20",
    }
    out = {}
    con = open_snapshot(Path(snapshot))
    try:
        for label, sql in marts.items():
            out[label] = _latency(lambda sql=sql: con.execute(sql).pl(), runs)
    finally:
        con.close()
    con = open_search(snapshot)
    try:
        # search() caps paragraphs per resolution (3) unless per_resolution=0. A common
        # two-word query (about 12,900 matches), a one-word one (about 280), a rare word
        # and the common query filtered: issue 18's four.
        for label, kwargs in (("search 'human rights'", {"query": "human rights"}),
                              ("search 'wildlife'", {"query": "wildlife"}),
                              (f"search '{RARE_WORD}' (a rare word)", {"query": RARE_WORD}),
                              ("search 'human rights', year 2023", {"query": "human rights", "year": 2023})):
            out[label] = _latency(lambda kwargs=kwargs: search(con, **kwargs), runs)
    finally:
        con.close()
    return out


WORKERS = {"inprocess": worker_inprocess, "dagster": worker_dagster, "floors": worker_floors,
           "queries": worker_queries}
