"""Time each extractor of the enrich step over sessions 74-79 in one process, and check its output.

Issue 18: extraction (themes, actors, mandates, sponsors and voters, instruments) cost 16
times the lxml parse floor. This tool measures each extractor alone, on the inputs the build
gives it, so a rewrite can be timed against the code before it and its output compared row
for row:

    python -m benchmarks.extraction --warehouse DATA/warehouse/unga.duckdb --dump OUT
    python -m benchmarks.extraction --warehouse ... --compare OUT   # exit 1 on any difference

The inputs are read exactly as ``warehouse.pipeline.build_enrich`` reads them (its
``extraction_inputs`` and its sponsor and vote queries), session by session, from a built
warehouse (``make run`` or any ``build_all``); the warehouse is opened read-only. Each
extractor runs in this process, session by session, as one worker would run a batch
(``UNGA_WORKERS`` plays no part). ``extract_batch`` is what the build's workers actually run:
themes, actors, mandates and instruments of one batch together.

``--dump`` writes each extractor's output over all sessions (sessions concatenated in order)
to ``OUT/<extractor>.parquet``; ``--compare`` reads such a dump and asserts frame equality
(same columns, types, rows and row order, nulls equal): the dump of the code before a
rewrite is the oracle of the rewrite. The lxml floor (a bare ``etree.fromstring`` of every
XML member of the landing zips, as ``benchmarks.workers.worker_floors`` measures it) is timed
in the same run, and every time is reported with its ratio to it.

To time two versions of ``transforms`` back to back, run this module once with each on
``PYTHONPATH`` (``--label`` names the run in the JSON line it prints last).

Polars runs on one thread (``POLARS_MAX_THREADS=1`` unless set), as in the build's worker
processes (transforms.parallel), and each time is given as wall and as CPU seconds of this
process: on a machine shared with other work the CPU seconds are the steadier measure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("POLARS_MAX_THREADS", "1")  # as in the build's workers; before Polars is imported

import duckdb  # noqa: E402
import polars as pl  # noqa: E402

from benchmarks.config import CORPUS  # noqa: E402

EXTRACTORS = ("themes", "paragraph_actors", "mandates", "resolution_actors", "paragraph_instruments",
              "instrument_dim")


def lxml_floor(landing: Path) -> tuple[float, float]:
    """Wall and CPU seconds for a bare ``lxml.etree.fromstring`` of every XML member of the zips under ``landing``."""
    import zipfile

    from lxml import etree

    blobs = []
    for path in sorted(Path(landing).rglob("*.zip")):
        with zipfile.ZipFile(path) as z:
            blobs += [z.read(n) for n in z.namelist() if n.lower().endswith(".xml")]
    started, cpu = time.perf_counter(), time.process_time()
    for blob in blobs:
        etree.fromstring(blob)
    return time.perf_counter() - started, time.process_time() - cpu


def session_inputs(warehouse: Path) -> list[tuple[int, tuple, pl.DataFrame, pl.DataFrame]]:
    """Per session: (session, (paragraphs, footnotes, citations), sponsors, votes), as build_enrich reads them."""
    from warehouse.pipeline import extraction_inputs

    out = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sessions = [r[0] for r in con.execute(
            "SELECT DISTINCT session FROM core.fact_paragraph ORDER BY 1").fetchall()]
        for session in sessions:
            q = lambda sql: con.execute(sql, [session]).pl()  # noqa: E731
            sponsors = q("SELECT symbol, role, position, sponsor FROM core.bridge_resolution_sponsor WHERE session = ?")
            votes = q("SELECT symbol, vote, state FROM core.bridge_resolution_vote WHERE session = ?")
            out.append((session, extraction_inputs(con, session), sponsors, votes))
    return out


class _Clock:
    """Wall and CPU seconds added up per extractor."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def __call__(self, name: str, fn):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - w
        self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - c
        return out


def run(inputs, repeat: int = 1) -> tuple[dict[str, float], dict[str, float], dict[str, pl.DataFrame]]:
    """Best-of-``repeat`` wall and CPU seconds per extractor (summed over sessions), and the
    outputs of the last round."""
    from transforms import extract
    from transforms.actors import _catalogue, mandates, paragraph_actors, resolution_actors
    from transforms.instruments import paragraph_instruments
    from transforms.themes import _compiled, tag_paragraphs

    _catalogue(None)  # reference data read and compiled once, outside the timings (as warm_up does)
    _compiled(None)
    best_wall: dict[str, float] = {}
    best_cpu: dict[str, float] = {}
    outputs: dict[str, list[pl.DataFrame]] = {}
    for _ in range(repeat):
        clock = _Clock()
        outputs = {k: [] for k in EXTRACTORS}
        for session, (paragraphs, footnotes, citations), sponsors, votes in inputs:
            outputs["themes"].append(clock("themes", lambda: tag_paragraphs(paragraphs)))
            actors = clock("paragraph_actors", lambda: paragraph_actors(paragraphs))
            outputs["paragraph_actors"].append(actors)
            outputs["mandates"].append(clock(
                "mandates", lambda: mandates(paragraphs, actors.filter(pl.col("role") == "addressee"))))
            outputs["resolution_actors"].append(clock("resolution_actors", lambda: resolution_actors(sponsors, votes)))
            dim, bridge = clock("paragraph_instruments",
                                lambda: paragraph_instruments(paragraphs, footnotes, citations))
            outputs["paragraph_instruments"].append(bridge)
            outputs["instrument_dim"].append(dim)
            batch = clock("extract_batch", lambda: extract.extract_batch((paragraphs, footnotes, citations)))
            # What the build writes must be what the extractors give one by one.
            for key, name in (("themes", "themes"), ("actors", "paragraph_actors"), ("mandates", "mandates"),
                              ("instruments", "paragraph_instruments")):
                if not batch[key].equals(outputs[name][-1]):
                    raise AssertionError(f"extract_batch's {key} differ from {name} alone (session {session})")
        best_wall = {k: min(v, best_wall.get(k, v)) for k, v in clock.wall.items()}
        best_cpu = {k: min(v, best_cpu.get(k, v)) for k, v in clock.cpu.items()}
    return best_wall, best_cpu, {k: pl.concat(v, how="vertical_relaxed") for k, v in outputs.items()}


def compare(outputs: dict[str, pl.DataFrame], baseline: Path) -> dict[str, dict]:
    """Per extractor: rows now and in the baseline dump, and whether the frames are equal."""
    result = {}
    for name, frame in outputs.items():
        path = baseline / f"{name}.parquet"
        if not path.exists():
            result[name] = {"rows": frame.height, "baseline_rows": None, "equal": False}
            continue
        base = pl.read_parquet(path)
        equal = frame.schema == base.schema and frame.equals(base, null_equal=True)
        result[name] = {"rows": frame.height, "baseline_rows": base.height, "equal": equal}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", required=True, type=Path, help="a built warehouse (unga.duckdb)")
    parser.add_argument("--landing", type=Path, default=CORPUS, help="landing folder for the lxml floor")
    parser.add_argument("--dump", type=Path, help="write each extractor's output to DIR/<extractor>.parquet")
    parser.add_argument("--compare", type=Path, help="assert equality with the dump in DIR")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the best time of each is kept")
    parser.add_argument("--label", default="", help="a name for this run in the JSON line")
    args = parser.parse_args(argv)

    import transforms

    inputs = session_inputs(args.warehouse)
    floor, floor_cpu = min(lxml_floor(args.landing) for _ in range(max(1, args.repeat)))
    times, cpu, outputs = run(inputs, args.repeat)
    wall_total = sum(v for k, v in times.items() if k != "extract_batch")
    cpu_total = sum(v for k, v in cpu.items() if k != "extract_batch")
    paragraphs = sum(p.height for _, (p, _, _), _, _ in inputs)
    print(f"{args.label or 'run'}: transforms from {Path(transforms.__file__).parent}; "
          f"{len(inputs)} sessions, {paragraphs} paragraphs; Polars threads {os.environ['POLARS_MAX_THREADS']}; "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"  lxml floor {floor:.2f} s wall, {floor_cpu:.2f} s cpu")
    print(f"  {'':24s} {'wall':>7s} {'cpu':>7s}  cpu / floor")
    for name in times:
        print(f"  {name:24s} {times[name]:6.2f}s {cpu[name]:6.2f}s  {cpu[name] / floor_cpu:5.1f}x")
    print(f"  {'extractors, total':24s} {wall_total:6.2f}s {cpu_total:6.2f}s  {cpu_total / floor_cpu:5.1f}x")
    status = 0
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        for name, frame in outputs.items():
            frame.write_parquet(args.dump / f"{name}.parquet")
        print(f"  outputs written to {args.dump}")
    checked = None
    if args.compare:
        checked = compare(outputs, args.compare)
        for name, c in checked.items():
            print(f"  {name:24s} {c['rows']:7d} rows, baseline {c['baseline_rows']}: "
                  f"{'equal' if c['equal'] else 'DIFFERENT'}")
        status = 0 if all(c["equal"] for c in checked.values()) else 1
    print(json.dumps({"label": args.label, "floor": floor, "floor_cpu": floor_cpu, "seconds": times, "cpu_seconds": cpu,
                      "extraction": wall_total, "extraction_cpu": cpu_total,
                      "load": os.getloadavg()[0], "compare": checked}))
    return status


if __name__ == "__main__":  # pragma: no cover - a timing tool
    sys.exit(main())
