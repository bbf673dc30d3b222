"""The warehouse benchmark of issue 8: measure the build against the machine's floor.

Run ``python -m benchmarks.run`` (or ``make bench``); ``--quick`` skips the scale run,
``--scale N`` sets its factor (default 10). Every build runs in a fresh child process
(``--worker``) so each reports its own peak memory (ru_maxrss) and pays its own imports,
as ``unga build`` would. Everything is built in a temporary folder from a copy of
data/landing; data/ is never written. The results are prepended to
benchmarks/RESULTS.md as a dated section; older sections are kept below.

What each number covers (stage times come from wrapping the pipeline's own functions
during the cold in-process build, so they add no extra build):

* ingest: ``scan_landing`` (read and hash every landed file) + the raw layer (unzip,
  insert raw.document), against the compressed landing bytes;
* parse: ``parse_akn`` calls only (XML bytes, documents); its floor is a bare
  ``lxml.etree.fromstring`` of every XML member of the zips, timed in the same run;
* staging: the whole staging layer (parse, selection, reconciliation, frames, inserts);
* load: every ``db.insert_frame`` (rows/s), and the core layer (SQL from staging into the
  star schema) as core.fact_paragraph rows/s; the floor is an Arrow -> DuckDB insert of
  core.fact_paragraph itself into a fresh file;
* extraction: ``tag_paragraphs``, ``paragraph_actors`` + ``mandates`` +
  ``resolution_actors``, ``paragraph_instruments`` (the enrich layer's Python). Extraction
  has no floor of its own: its ratio is to the lxml floor of the same corpus;
* marts: per-session marts, global marts (rollups, series lineage), checks, publication.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "landing"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
RAW = Path(tempfile.gettempdir()) / "unga-bench-last.json"  # raw numbers of the last run, for --from-json
QUERY_RUNS = 30

# Targets of issue 8 (a 2-core machine).
FLOOR_RATIO = 3.0
FULL_BUILD_S = 45.0
ADD_SESSION_S = 15.0
QUERY_MS = 50.0
PEAK_MB_AT_SCALE = 2048.0
# The session dropped and added back by the incremental runs. Session 74, because only its own zip
# and extract hold its documents; 79's content also comes from ES-10.json and the loose ES-10/24
# (a file's content, not its name, places it), and ES-10.json feeds session 78 as well.
INCREMENTAL = 74


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
        original = getattr(module, attr)
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
    t.wrap(warehouse.publish, "index_snapshot", "publish: search index")
    t.wrap(expectations.gate, "run_raw_suites", "publish: raw suite")
    t.wrap(expectations.gate, "validate_snapshot", "publish: snapshot suites")
    t.wrap(warehouse.publish.exports, "write_files", "publish: export files")
    t.wrap(orchestration.build, "write_report", "quality report")
    return t


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
    """Each extractor over every session's paragraphs, one session at a time, in this process."""
    import duckdb
    import polars as pl

    from transforms.actors import mandates, paragraph_actors
    from transforms.instruments import paragraph_instruments
    from transforms.themes import tag_paragraphs
    from warehouse.pipeline import extraction_inputs

    times = {"themes: tag_paragraphs": 0.0, "actors: paragraph_actors": 0.0, "actors: mandates": 0.0,
             "instruments: paragraph_instruments": 0.0}
    with duckdb.connect(warehouse, read_only=True) as con:
        sessions = [r[0] for r in con.execute("SELECT DISTINCT session FROM core.fact_paragraph ORDER BY 1").fetchall()]
        for session in sessions:
            paragraphs, footnotes, citations = extraction_inputs(con, session)
            t = time.perf_counter()
            tag_paragraphs(paragraphs)
            times["themes: tag_paragraphs"] += time.perf_counter() - t
            t = time.perf_counter()
            actors = paragraph_actors(paragraphs)
            times["actors: paragraph_actors"] += time.perf_counter() - t
            t = time.perf_counter()
            mandates(paragraphs, actors.filter(pl.col("role") == "addressee"))
            times["actors: mandates"] += time.perf_counter() - t
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
        # search() caps paragraphs per resolution (3) unless per_resolution=0.
        for label, kwargs in (("search 'wildlife'", {"query": "wildlife"}),
                              ("search 'human rights'", {"query": "human rights"}),
                              ("search 'human rights', no cap per resolution",
                               {"query": "human rights", "per_resolution": 0}),
                              ("search 'human rights', year 2023", {"query": "human rights", "year": 2023})):
            out[label] = _latency(lambda kwargs=kwargs: search(con, **kwargs), runs)
    finally:
        con.close()
    return out


WORKERS = {"inprocess": worker_inprocess, "dagster": worker_dagster, "floors": worker_floors,
           "queries": worker_queries}


def run_worker(name: str, **kwargs) -> dict:
    """Run a worker in a fresh interpreter; its JSON answer is the last line of its stdout."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "benchmarks.run", "--worker", name, json.dumps(kwargs)],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"worker {name} failed:\n{proc.stderr[-4000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started  # with interpreter start and imports
    return result


# ----------------------------------------------------------------------------- driver
def say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def session_files(landing: Path, session: int) -> list[Path]:
    """The landed files all of whose documents belong to ``session``."""
    from transforms.discover import scan_landing

    placed: dict[str, set] = {}
    for s in scan_landing(landing):
        placed.setdefault(s.path, set()).add(s.session)
    return [landing / path for path, sessions in sorted(placed.items()) if sessions == {session}]


def fresh_root(tmp: Path, name: str, landing: Path = CORPUS) -> Path:
    root = tmp / name
    shutil.copytree(landing, root / "landing")
    return root


def measure(scale: int | None) -> dict:
    from benchmarks.synthetic import make_corpus

    r: dict = {}
    with tempfile.TemporaryDirectory(prefix="unga-bench-") as tmpdir:
        tmp = Path(tmpdir)
        a = fresh_root(tmp, "inprocess")
        say("in process, cold (with stage timings)")
        r["inproc_cold"] = run_worker("inprocess", root=str(a), stages=True)
        say("in process, warm")
        r["inproc_warm"] = run_worker("inprocess", root=str(a))
        say("floors")
        r["floors"] = run_worker("floors", landing=str(a / "landing"), warehouse=str(a / "warehouse/unga.duckdb"))
        say("query latency")
        r["queries"] = run_worker("queries", snapshot=str(a / "published/unga.duckdb"))

        say(f"incremental: drop session {INCREMENTAL}, then add it back")
        c = tmp / "incremental"
        shutil.copytree(a, c)
        held = tmp / f"held-{INCREMENTAL}"
        held.mkdir()
        moved = session_files(c / "landing", INCREMENTAL)
        for p in moved:
            shutil.move(p, held / p.name)
        r["drop_session"] = run_worker("inprocess", root=str(c))
        for p in moved:
            shutil.move(held / p.name, p)
        r["add_session"] = run_worker("inprocess", root=str(c))
        r["rerun_session"] = run_worker("inprocess", root=str(c), sessions=[INCREMENTAL])
        shutil.rmtree(c)

        b = fresh_root(tmp, "dagster")
        say("Dagster, cold")
        r["dagster_cold"] = run_worker("dagster", root=str(b))
        say("Dagster, warm")
        r["dagster_warm"] = run_worker("dagster", root=str(b))
        shutil.rmtree(b)

        if scale:
            s = tmp / "scale"
            say(f"scale: writing a synthetic corpus {scale}x")
            r["scale_corpus"] = make_corpus(CORPUS, s / "landing", scale)
            r["scale_corpus"]["factor"] = scale
            say(f"scale: in process, cold, {len(r['scale_corpus']['sessions'])} sessions")
            try:
                r["scale_cold"] = run_worker("inprocess", root=str(s))
            except RuntimeError as exc:  # keep the rest of the run; the report says what failed
                r["scale_error"] = str(exc)[-1500:]
        r["corpus_bytes"] = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    return r


# ---------------------------------------------------------------------------- report
def machine() -> dict:
    import dagster
    import duckdb

    mem_kb = 0
    with open("/proc/meminfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), cpu)
    except OSError:
        pass
    return {"cores": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1), "cpu": cpu,
            "python": platform.python_version(), "duckdb": duckdb.__version__, "dagster": dagster.__version__,
            "platform": platform.platform()}


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def render(r: dict, args: argparse.Namespace, total_s: float) -> str:
    m = machine()
    st = r["inproc_cold"]["stages"]
    fl = r["floors"]
    sec = lambda name: st[name]["seconds"]  # noqa: E731
    lines = [f"## {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} — `python -m benchmarks.run"
             f"{' --quick' if args.quick else f' --scale {args.scale}'}`", "",
             f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB RAM, {m['platform']}; "
             f"Python {m['python']}, duckdb {m['duckdb']}, dagster {m['dagster']}. "
             f"Benchmark wall time {total_s / 60:.1f} min. Load average at the end (1/5/15 min): "
             f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())} (the builds keep both cores busy, parsing and "
             "extracting in worker processes, so a load near the core count is the benchmark's own; well above "
             "it, other work competed and the times are inflated).", ""]

    def build_row(label, x, target=None):
        t = f" | {target}" if target else " | "
        return (f"| {label} | {x['seconds']:.1f} | {x['process_seconds']:.1f} | {x['peak_mb']:.0f} | "
                f"{x['status']}{t} |")

    full_ok = max(r["dagster_cold"]["process_seconds"], r["inproc_cold"]["process_seconds"]) < FULL_BUILD_S
    lines += ["### Builds (sessions 74-79, real corpus)", "",
              "Build s: the build call; process s: with interpreter start and imports (what a user waits).", "",
              "| build | build s | process s | peak MB | status | target |", "|---|---:|---:|---:|---|---|",
              build_row("in process, cold", r["inproc_cold"],
                        f"< {FULL_BUILD_S:.0f} s: {verdict(r['inproc_cold']['process_seconds'] < FULL_BUILD_S)}"),
              build_row("in process, warm (nothing changed)", r["inproc_warm"]),
              build_row("Dagster, cold", r["dagster_cold"],
                        f"< {FULL_BUILD_S:.0f} s: {verdict(r['dagster_cold']['process_seconds'] < FULL_BUILD_S)}"),
              build_row("Dagster, warm (nothing changed)", r["dagster_warm"]),
              build_row(f"drop session {INCREMENTAL} (files removed)", r["drop_session"]),
              build_row(f"add session {INCREMENTAL} to a warehouse of the others", r["add_session"],
                        f"< {ADD_SESSION_S:.0f} s: {verdict(r['add_session']['process_seconds'] < ADD_SESSION_S)}"),
              build_row(f"re-run unchanged session {INCREMENTAL}", r["rerun_session"]), "",
              f"Dagster overhead: cold {r['dagster_cold']['seconds'] - r['inproc_cold']['seconds']:+.1f} s, "
              f"warm {r['dagster_warm']['seconds'] - r['inproc_warm']['seconds']:+.1f} s over in process. "
              f"Full build target (< {FULL_BUILD_S:.0f} s including Dagster): {verdict(full_ok)}.", ""]

    from transforms.parallel import workers

    n_workers = r["inproc_cold"].get("workers", workers())
    xml_bytes = st["parse"]["size"]
    docs = st["raw layer"]["size"]
    ingest_s = sec("scan_landing") + sec("raw layer")
    lxml_rate = fl["xml_bytes"] / fl["lxml_seconds"]
    parse_rate = xml_bytes / sec("parse")
    parse_ratio = lxml_rate / parse_rate
    serial_parse_ratio = fl["serial_parse_seconds"] / fl["lxml_seconds"]
    paragraphs = st["core layer"]["size"]
    floor_rows = fl["arrow_rows"] / fl["arrow_seconds"]
    core_rate = paragraphs / sec("core layer")
    insert_rate = st["insert_frame"]["size"] / sec("insert_frame")
    extract_s = sec("extraction") + sec("actors: resolution_actors")
    extract_ratio = extract_s / fl["lxml_seconds"]
    serial_extract_s = sum(fl["serial_extraction"].values())
    mb = lambda bps: f"{bps / 1e6:.1f} MB/s"  # noqa: E731
    lines += ["### Stages of the cold in-process build, against the floor", "",
              f"Parsing and extraction run over {n_workers} worker processes (transforms/parallel.py); the "
              "rows marked 'one process' time the same work in a single process, in the floors worker, "
              "for the cost per core.", "",
              "| stage | seconds | throughput | floor | ratio to floor | target |", "|---|---:|---|---|---:|---|",
              f"| ingest (scan_landing + raw layer: read, hash, unzip, insert raw.document) | {ingest_s:.2f} | "
              f"{mb(r['corpus_bytes'] / ingest_s)} compressed, {docs / ingest_s:.0f} docs/s | | | |",
              f"| parse (every XML and text document, {n_workers} workers, wall) | {sec('parse'):.2f} | "
              f"{mb(parse_rate)} XML, {docs / sec('parse'):.0f} docs/s | lxml.etree.fromstring "
              f"{mb(lxml_rate)} ({fl['xml_files']} files, {fl['xml_bytes'] / 1e6:.1f} MB, {fl['lxml_seconds']:.2f} s)"
              f" | {parse_ratio:.1f}x | ≤ {FLOOR_RATIO:.0f}x: {verdict(parse_ratio <= FLOOR_RATIO)} |",
              f"| parse, one process (parse_akn of every XML file) | {fl['serial_parse_seconds']:.2f} | "
              f"{mb(fl['xml_bytes'] / fl['serial_parse_seconds'])} | same | {serial_parse_ratio:.1f}x | |",
              f"| ingest + parse | {ingest_s + sec('parse'):.2f} | "
              f"{mb(xml_bytes / (ingest_s + sec('parse')))} XML, "
              f"{docs / (ingest_s + sec('parse')):.0f} docs/s | | | |",
              f"| staging layer (all of it: parse, metadata, selection, reconciliation, frames, inserts) | "
              f"{sec('staging layer'):.2f} | | | | |",
              f"| … resolution_frames | {sec('resolution_frames'):.2f} | | | | |",
              f"| … parse_metadata_jsonl | {sec('parse_metadata_jsonl'):.2f} | | | | |",
              f"| load: every db.insert_frame ({st['insert_frame']['size']} rows) | {sec('insert_frame'):.2f} | "
              f"{insert_rate:,.0f} rows/s | Arrow insert {floor_rows:,.0f} rows/s | {floor_rows / insert_rate:.1f}x | |",
              f"| load: core layer SQL ({paragraphs} fact_paragraph rows, + footnotes, citations, bridges) | "
              f"{sec('core layer'):.2f} | {core_rate:,.0f} paragraph rows/s | Arrow insert of core.fact_paragraph "
              f"({fl['arrow_rows']} rows, {fl['arrow_seconds']:.2f} s) | {floor_rows / core_rate:.1f}x | |",
              f"| extraction ({n_workers} workers, wall; + resolution_actors) | {extract_s:.2f} | | lxml parse of the "
              f"same corpus ({fl['lxml_seconds']:.2f} s) | {extract_ratio:.1f}x | ≤ {FLOOR_RATIO:.0f}x: "
              f"{verdict(extract_ratio <= FLOOR_RATIO)} |"]
    for n, v in fl["serial_extraction"].items():
        lines.append(f"| … one process: {n} | {v:.2f} | | | | |")
    lines += [f"| … one process: extraction total | {serial_extract_s:.2f} | | same | "
              f"{serial_extract_s / fl['lxml_seconds']:.1f}x | |",
              f"| enrich layer (extraction + inserts) | {sec('enrich layer'):.2f} | | | | |",
              f"| session marts | {sec('session marts'):.2f} | | | | |",
              f"| global marts (rollups, series lineage) | {sec('global marts'):.2f} | | | | |",
              f"| checks | {sec('checks'):.2f} | | | | |",
              f"| publish + report (all of it) | {sec('publish + report'):.2f} | | | | |",
              f"| … search index (beside the raw suite) | {sec('publish: search index'):.2f} | | | | |",
              f"| … raw suite | {sec('publish: raw suite'):.2f} | | | | |",
              f"| … snapshot suites | {sec('publish: snapshot suites'):.2f} | | | | |",
              f"| … export files (beside the snapshot suites) | {sec('publish: export files'):.2f} | | | | |",
              f"| … quality report | {sec('quality report'):.2f} | | | | |", ""]

    lines += [f"### Query latency on the published snapshot ({QUERY_RUNS} runs after a first one)", "",
              "| query | first ms | median ms | p95 ms | target |", "|---|---:|---:|---:|---|"]
    for label, q in r["queries"].items():
        if not isinstance(q, dict):  # process_seconds of the worker
            continue
        lines.append(f"| {label} | {q['first_ms']:.1f} | {q['median_ms']:.1f} | {q['p95_ms']:.1f} | "
                     f"median < {QUERY_MS:.0f} ms: {verdict(q['median_ms'] < QUERY_MS)} |")
    lines.append("")

    if "scale_cold" in r:
        sc, one = r["scale_cold"], r["inproc_cold"]
        f = r["scale_corpus"]["factor"]
        growth = sc["seconds"] / one["seconds"]
        linear = growth <= 1.25 * f
        lines += [f"### Scale (SYNTHETIC: the real sessions replicated {f}x under rewritten sessions "
                  f"{r['scale_corpus']['sessions'][0]}-{r['scale_corpus']['sessions'][-1]}, see benchmarks/synthetic.py)",
                  "", "| corpus | MB | build s | peak MB | status |", "|---|---:|---:|---:|---|",
                  f"| 1x (real) | {r['corpus_bytes'] / 1e6:.1f} | {one['seconds']:.1f} | {one['peak_mb']:.0f} | "
                  f"{one['status']} |",
                  f"| {f}x (synthetic) | {r['scale_corpus']['bytes'] / 1e6:.1f} | {sc['seconds']:.1f} | "
                  f"{sc['peak_mb']:.0f} | {sc['status']} |", "",
                  "Peak memory (this process and its workers, sampled every 0.2 s) by phase of the build: "
                  + "; ".join(f"{k}: {v}" for k, v in _phase_peaks(one)) + " (1x). At "
                  + f"{f}x: " + "; ".join(f"{k}: {v}" for k, v in _phase_peaks(sc)) + ".", "",
                  f"Time grew {growth:.1f}x for {f}x the corpus ({growth / f:.2f} of linear): linear "
                  f"(≤ 1.25 × {f}): {verdict(linear)}. Peak memory at {f}x: {sc['peak_mb']:.0f} MB"
                  + (f", target < {PEAK_MB_AT_SCALE:.0f} MB at 10x: {verdict(sc['peak_mb'] < PEAK_MB_AT_SCALE)}."
                     if f == 10 else f" (the target, < {PEAK_MB_AT_SCALE:.0f} MB, is set at 10x)."), ""]
    elif "scale_error" in r:
        lines += ["### Scale", "", f"The {r['scale_corpus']['factor']}x build failed:", "", "```",
                  r["scale_error"], "```", ""]
    else:
        lines += ["### Scale", "", "Skipped (--quick).", ""]
    return "\n".join(lines) + "\n"


def _phase_peaks(build: dict) -> list[tuple[str, str]]:
    """The phases of a build with their peak memory (this process + workers), highest first.

    The sessions are merged into one line (their highest); the last session's phase also
    covers the series lineage, which runs in the workers before "marts over all sessions"
    is reported.
    """
    peaks, split = build.get("memory_by_phase", {}), build.get("memory_split", {})
    sessions = [k for k in peaks if k.startswith("session ")]
    rows = {k: peaks[k] for k in peaks if not k.startswith("session ") and k != "start"}
    if sessions:
        top = max(sessions, key=lambda k: peaks[k])
        rows[f"{len(sessions)} sessions (highest: {top})"] = peaks[top]
        split = {**split, f"{len(sessions)} sessions (highest: {top})": split.get(top)}
    out = []
    for k, v in sorted(rows.items(), key=lambda kv: -kv[1])[:5]:
        parts = split.get(k)
        detail = f" = {parts[0]:.0f} + {parts[1]:.0f} in workers" if parts else ""
        out.append((k, f"{v:.0f} MB{detail}"))
    return out


HEADER = ("# Benchmark results\n\nWritten by `python -m benchmarks.run` (`make bench`); the newest run is "
          "first, older runs are kept below so regressions show.\n\n")


def write_results(section: str, replace_newest: bool = False) -> None:
    """Prepend ``section`` (or, re-rendering an earlier run, put it in place of the newest)."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    old = old[len(HEADER):] if old.startswith(HEADER) else old
    if replace_newest and old.startswith("## "):
        nxt = old.find("\n## ", 1)
        old = old[nxt + 1:] if nxt >= 0 else ""
    RESULTS.write_text(HEADER + section + ("\n" + old if old.strip() else ""), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the scale run")
    parser.add_argument("--scale", type=int, default=10, help="factor of the synthetic corpus (default 10)")
    parser.add_argument("--worker", nargs=2, metavar=("NAME", "JSON"), help=argparse.SUPPRESS)
    parser.add_argument("--from-json", type=Path,
                        help="re-render the raw measurements of an earlier run, in place of the newest section")
    args = parser.parse_args(argv)
    if args.worker:
        name, kwargs = args.worker
        print(json.dumps(WORKERS[name](**json.loads(kwargs))))
        return
    started = time.perf_counter()
    if args.from_json:
        results = json.loads(args.from_json.read_text(encoding="utf-8"))
    else:
        results = measure(None if args.quick or args.scale < 2 else args.scale)
        results["wall_seconds"] = time.perf_counter() - started
        RAW.write_text(json.dumps(results, indent=1), encoding="utf-8")
        say(f"raw measurements in {RAW}")
    section = render(results, args, results["wall_seconds"])
    write_results(section, replace_newest=bool(args.from_json))
    print(section)


if __name__ == "__main__":
    main()
