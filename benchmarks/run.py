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
* extraction: ``tag_paragraphs``, ``actors_and_mandates`` (paragraph_actors and mandates from
  one analysis) + ``resolution_actors``, ``paragraph_instruments`` (the enrich layer's Python;
  ``python -m benchmarks.extraction`` times each extractor alone and checks its output).
  Extraction has no floor of its own: its ratio is to the lxml floor of the same corpus;
* marts: per-session marts, global marts (rollups, series lineage), checks, publication.

Modules: this one drives the run (``measure``, ``main``); ``benchmarks.workers`` holds what
runs in each child process (the builds, the floors, the query latencies, with their stage
timers and memory sampler), ``benchmarks.report`` renders the results as a RESULTS.md section,
and ``benchmarks.config`` the paths, the targets and the incremental session.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.config import CORPUS, INCREMENTAL, RAW, ROOT
from benchmarks.report import render, write_results
from benchmarks.workers import WORKERS


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
        r["add_session"] = run_worker("inprocess", root=str(c), stages=True)
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
