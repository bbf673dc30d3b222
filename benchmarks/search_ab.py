"""Paired A/B of search SQL variants on a published snapshot (benchmarks/RESULTS.md, "Search:
paragraphs per resolution").

    SNAPSHOT=data/published/unga.duckdb [THREADS=1] [RUNS=41] python -m benchmarks.search_ab \
        old=old.sql new=warehouse/sql/search/search.sql

The first variant is the reference; e.g. `git show 8a75378:warehouse/sql/search/search.sql
> old.sql` is the query before the cap per resolution. Each iteration runs every variant back to back
(order rotated); prints the median wall and CPU ms per variant and the median of the per-iteration
ratio to the reference, which cancels most of the drift when other work shares the machine.
A variant without $per_resolution (the old query) runs without it in every case.
"""
import time, statistics, sys, resource, os, json
from warehouse.search import open_search
con = open_search(os.environ.get("SNAPSHOT", "data/published/unga.duckdb"))
THREADS = os.environ.get("THREADS")
if THREADS: con.execute(f"SET threads = {int(THREADS)}")
variants = {n: open(p).read() for n, p in (a.split("=") for a in sys.argv[1:])}
names = list(variants)
def cpu(): r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime
RUNS = int(os.environ.get("RUNS", 41))
out = {"load_before": os.getloadavg(), "threads": con.execute("SELECT current_setting('threads')").fetchone()[0]}
print(out, flush=True)
cases = [(q, cap) for q in ("wildlife", "human rights", "trafficking in persons") for cap in (3, None)]
for q, cap in cases:
    wall = {n: [] for n in names}; cp = {n: [] for n in names}
    for i in range(RUNS + 1):
        order = names[i % len(names):] + names[:i % len(names)]
        for name in order:
            sql = variants[name]
            p = dict(query=q, year=None, session=None, kind=None, verb=None, symbol=None, themes=None, limit=20)
            if "$per_resolution" in sql: p["per_resolution"] = cap
            c = cpu(); t = time.perf_counter(); con.execute(sql, p).pl()
            if i: wall[name].append((time.perf_counter() - t) * 1000); cp[name].append((cpu() - c) * 1000)
    row = {}
    for n in names:
        row[n] = {"wall": round(statistics.median(wall[n]), 1), "cpu": round(statistics.median(cp[n]), 1),
                  "wall_ratio": round(statistics.median(a / b for a, b in zip(wall[n], wall[names[0]])), 3),
                  "cpu_ratio": round(statistics.median(a / b for a, b in zip(cp[n], cp[names[0]])), 3)}
    out[f"{q} | cap {cap}"] = row
    print(f"{q:24s} cap={cap}", row, flush=True)
out["load_after"] = os.getloadavg()
print(out["load_after"])
if os.environ.get("OUT"):
    json.dump(out, open(os.environ["OUT"], "w"), indent=1)
