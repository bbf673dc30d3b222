"""`search()` of an older revision against this one, on the same published snapshot, back to
back in one process (benchmarks/RESULTS.md, issue 18).

    python -m benchmarks.search_code_ab SNAPSHOT REV [RUNS]

REV is a git revision (e.g. main): its warehouse/search.py is loaded as a module of its own
and runs with its own warehouse/sql (extracted to a temporary directory), this checkout's with
its own. Each iteration runs both (order alternated); prints per query the median wall ms and
the median CPU ms (process time: DuckDB runs the search on the calling thread, one thread, so
CPU time is the work done, and moves much less than the wall time when other work shares the
machine), the median of the per-iteration wall ratio new/old, which cancels most of the drift,
and whether both returned the same rows (scores within 1e-9).
"""
from __future__ import annotations

import importlib.util
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from benchmarks.config import QUERY_RUNS, RARE_WORD, ROOT
from warehouse import db
from warehouse import search as S

CASES = [("human rights", {}), ("wildlife", {}), (RARE_WORD, {}), ("human rights", {"year": 2023})]


def _old_module(rev: str, into: Path):
    """REV's warehouse/search.py as a module, and REV's warehouse/sql extracted under ``into``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "warehouse/search.py", "warehouse/sql"],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    spec = importlib.util.spec_from_file_location("search_at_rev", into / "warehouse" / "search.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module, into / "warehouse" / "sql"


def main(snapshot: str, rev: str, runs: int = QUERY_RUNS) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        old, old_sql = _old_module(rev, Path(tmp))
        new_sql = db.SQL_ROOT
        con = S.open_search(snapshot)
        print("load average before", os.getloadavg())
        for query, filters in CASES:
            wall = {"old": [], "new": []}
            cpu = {"old": [], "new": []}
            results = {}
            for i in range(runs + 1):
                order = [("old", old, old_sql), ("new", S, new_sql)]
                for name, module, root in (order if i % 2 else order[::-1]):
                    db.SQL_ROOT = root
                    try:
                        c, t = time.process_time(), time.perf_counter()
                        results[name] = module.search(con, query, **filters)
                        t, c = time.perf_counter() - t, time.process_time() - c
                    finally:
                        db.SQL_ROOT = new_sql
                    if i:  # the first run warms the caches
                        wall[name].append(t * 1000)
                        cpu[name].append(c * 1000)
            a, b = results["old"], results["new"]
            same = a.drop("score").equals(b.drop("score")) and all(
                abs(x - y) < 1e-9 for x, y in zip(a["score"], b["score"]))
            ratio = statistics.median(n / o for n, o in zip(wall["new"], wall["old"]))
            med = {k: (statistics.median(wall[k]), statistics.median(cpu[k])) for k in wall}
            print(f"{query!r} {filters}: old {med['old'][0]:.1f} ms (CPU {med['old'][1]:.1f}), "
                  f"new {med['new'][0]:.1f} ms (CPU {med['new'][1]:.1f}), median ratio new/old {ratio:.3f}, "
                  f"same rows {same}", flush=True)
        print("load average after", os.getloadavg())
        con.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else QUERY_RUNS)
