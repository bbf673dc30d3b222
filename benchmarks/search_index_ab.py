"""Search latency before and after issue 18, back to back in one process (benchmarks/RESULTS.md,
"Search: the index kept per session").

    [THREADS=1] python -m benchmarks.search_index_ab OLD_SNAPSHOT NEW_SNAPSHOT OLD_SQL_DIR [RUNS]

OLD_SNAPSHOT holds the fts index (published by a build before issue 18), OLD_SQL_DIR is that
version's warehouse/sql (e.g. a worktree of main); NEW_SNAPSHOT is published by this version.
Each iteration runs `search()` on both (order alternated), the old one reading its SQL files
(search.sql through match_bm25, matched_tokens.sql through the index's tokenize); prints the
median ms of each and the median of the per-iteration ratio new/old, which cancels most of the
drift when other work shares the machine, and whether both returned the same rows.
"""
import os
import statistics
import sys
import time
from pathlib import Path

import duckdb

from benchmarks.config import QUERY_RUNS, RARE_WORD
from warehouse import db, search as S

CASES = [("human rights", {}), ("wildlife", {}), (RARE_WORD, {}), ("human rights", {"year": 2023})]


def main(old_snapshot: str, new_snapshot: str, old_sql: str, runs: int = QUERY_RUNS) -> None:
    new_sql = db.SQL_ROOT
    old = duckdb.connect(old_snapshot, read_only=True)
    db.load_fts(old)  # as the old open_search: fts loaded, then external access off
    old.execute("SET enable_external_access = false")
    new = S.open_search(new_snapshot)
    if os.environ.get("THREADS"):  # DuckDB threads on both (1: the least disturbed by other work)
        for con in (old, new):
            con.execute("SET threads = ?", [int(os.environ["THREADS"])])
    print("load average before", os.getloadavg())
    for query, filters in CASES:
        times = {"old": [], "new": []}
        results = {}
        for i in range(runs + 1):
            order = [("old", old, Path(old_sql)), ("new", new, new_sql)]
            for name, con, root in (order if i % 2 else order[::-1]):
                db.SQL_ROOT = root
                try:
                    started = time.perf_counter()
                    results[name] = S.search(con, query, **filters)
                    elapsed = time.perf_counter() - started
                finally:
                    db.SQL_ROOT = new_sql
                if i:  # the first run warms the caches
                    times[name].append(elapsed * 1000)
        a, b = results["old"], results["new"]
        same = a.drop("score").equals(b.drop("score")) and all(
            abs(x - y) < 1e-9 for x, y in zip(a["score"], b["score"]))
        ratio = statistics.median(n / o for n, o in zip(times["new"], times["old"]))
        print(f"{query!r} {filters}: old {statistics.median(times['old']):.1f} ms, "
              f"new {statistics.median(times['new']):.1f} ms, median ratio new/old {ratio:.3f}, same rows {same}")
    print("load average after", os.getloadavg())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else QUERY_RUNS)
