"""What `unga status` reports: read from the snapshot and the run log, never the working file.

The working warehouse is locked while a build writes it; the snapshot and the
run log can always be read.
"""

from __future__ import annotations

import json

from warehouse.publish import open_snapshot
from warehouse.settings import Paths


def last_run(paths: Paths) -> dict | None:
    if not paths.runs_log.exists():
        return None
    lines = [line for line in paths.runs_log.read_text(encoding="utf-8").splitlines() if line.strip()]
    return json.loads(lines[-1]) if lines else None


def status_report(paths: Paths) -> str:
    out = [f"data dir   {paths.root}"]
    run = last_run(paths)
    if run:
        out.append(f"last run   {run['finished_at']} UTC, {run['status']} ({run.get('via')}, {run['seconds']} s)")
    else:
        out.append("last run   none yet: run `unga build` (or `make run`)")
    if not paths.snapshot.exists():
        out.append(f"snapshot   none at {paths.snapshot}")
        return "\n".join(out)
    con = open_snapshot(paths.snapshot)
    try:
        info = con.execute("SELECT published_at FROM ops.build_info").fetchone()
        out.append(f"snapshot   {paths.snapshot} (published {info[0]:%Y-%m-%d %H:%M:%S} UTC)")
        out.append("")
        out.append(f"{'session':>7}  {'resolutions':>11}  {'paragraphs':>10}  {'footnotes':>9}  {'rejected':>8}")
        rows = con.execute(
            """
            SELECT s.session,
                   (SELECT count(*) FROM core.dim_resolution r WHERE r.session = s.session),
                   (SELECT count(*) FROM core.fact_paragraph p WHERE p.session = s.session),
                   (SELECT count(*) FROM core.fact_footnote f WHERE f.session = s.session),
                   (SELECT count(*) FROM ops.rejected j WHERE j.session = s.session)
            FROM core.dim_session s ORDER BY s.session
            """
        ).fetchall()
        for session, res, par, fn, rej in rows:
            out.append(f"{session:>7}  {res:>11}  {par:>10}  {fn:>9}  {rej:>8}")
        totals = [sum(r[i] for r in rows) for i in range(1, 5)]
        out.append(f"{'total':>7}  {totals[0]:>11}  {totals[1]:>10}  {totals[2]:>9}  {totals[3]:>8}")
        unplaced = con.execute("SELECT count(*) FROM ops.rejected WHERE session IS NULL").fetchone()[0]
        rejected = con.execute(
            "SELECT coalesce(member, source_path), reason FROM ops.rejected ORDER BY rejected_at LIMIT 10"
        ).fetchall()
        if rejected:
            out.append("")
            out.append(f"rejected files ({totals[3] + unplaced}):")
            out += [f"  {where}: {reason}" for where, reason in rejected]
        failed = con.execute("SELECT check_name, violations FROM ops.check_result WHERE violations > 0").fetchall()
        out.append("")
        out.append("checks     " + ("all passed" if not failed else ", ".join(f"{n} ({v})" for n, v in failed)))
    finally:
        con.close()
    return "\n".join(out)
