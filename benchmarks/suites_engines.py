"""The quality suites' time and peak memory, SQL engine against GE's pandas engine.

::

    python -m benchmarks.suites_engines SNAPSHOT WAREHOUSE [--rounds 2] [--docs]

Each measurement runs in a fresh child process (so its peak RSS is its own and GE's import
is paid alike), alternating the engines back to back: the raw suite on the working
warehouse, then every other suite on the snapshot, both opened read-only with the build's
memory cap, as :mod:`expectations.gate` opens them. ``--docs`` builds the Data Docs too.
Prints one line per run and the medians.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile


def _child(engine: str, snapshot: str, warehouse: str, docs: bool) -> dict:
    import resource
    import time

    import duckdb

    from expectations.gate import RAW_SUITES
    from expectations.runner import run_suites
    from expectations.suites import SUITE_NAMES
    from warehouse import db

    import great_expectations  # noqa: F401  (imported before the clock starts, by both engines)

    out = {"engine": engine}
    with tempfile.TemporaryDirectory() as tmp:
        docs_dir = tmp if docs else None
        for name, path, suites in (("raw", warehouse, list(RAW_SUITES)),
                                   ("snapshot", snapshot, [n for n in SUITE_NAMES if n not in RAW_SUITES])):
            con = db.bound_memory(duckdb.connect(path, read_only=True))
            t0 = time.perf_counter()
            result = run_suites(con, suites=suites, data_docs_dir=docs_dir, engine=engine)
            out[f"{name}_s"] = round(time.perf_counter() - t0, 3)
            out[f"{name}_expectations"] = sum(s.evaluated for s in result.suites)
            con.close()
    out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("snapshot")
    p.add_argument("warehouse")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--docs", action="store_true")
    p.add_argument("--child", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.child:
        print(json.dumps(_child(a.child, a.snapshot, a.warehouse, a.docs)))
        return
    runs: dict[str, list[dict]] = {"pandas": [], "sql": []}
    for _ in range(a.rounds):
        for engine in ("pandas", "sql"):
            cmd = [sys.executable, "-m", "benchmarks.suites_engines", a.snapshot, a.warehouse, "--child", engine]
            if a.docs:
                cmd.append("--docs")
            line = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
            runs[engine].append(json.loads(line))
            print(line, flush=True)
    for engine, rs in runs.items():
        med = {k: statistics.median(r[k] for r in rs) for k in ("raw_s", "snapshot_s", "peak_mb")}
        print(f"{engine}: median raw {med['raw_s']:.2f} s, snapshot {med['snapshot_s']:.2f} s, "
              f"peak RSS {med['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
