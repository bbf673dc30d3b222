"""What `unga status` reports: read from the snapshot and the run log, never the working file.

The working warehouse is locked while a build writes it; the snapshot and the
run log can always be read.
"""

from __future__ import annotations

import json

import duckdb

from warehouse.db import query_file
from warehouse.published import open_snapshot
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
        try:
            held = con.execute("SELECT session, symbol, rule, reason FROM ops.held_back "
                               "ORDER BY session, symbol, rule").fetchall()
        except Exception:  # a snapshot published before ops.held_back existed
            held = []
        if held:
            out.append("")
            out.append(f"held back ({len({h[1] for h in held})} resolutions, left out for breaking a rule):")
            out += [f"  {symbol} (session {session}): {rule}: {reason}" for session, symbol, rule, reason in held[:10]]
        warn = [f"{totals[3] + unplaced} file(s) quarantined" if totals[3] + unplaced else "",
                f"{len({h[1] for h in held})} resolution(s) held back" if held else ""]
        if any(warn):
            out.insert(3, "WARNING    " + " and ".join(w for w in warn if w) + ": see below")
        failed = con.execute("SELECT check_name, violations FROM ops.check_result WHERE violations > 0").fetchall()
        out.append("")
        out.append("checks     " + ("all passed" if not failed else ", ".join(f"{n} ({v})" for n, v in failed)))
        out += _expectations(con)
    finally:
        con.close()
    return "\n".join(out)


def _expectations(con) -> list[str]:
    """The suites' verdict and every failed expectation, the non-blocking ones included:
    a warning that is not listed is a warning no one reads."""
    try:
        rows = query_file(con, "quality/suite_failures.sql").to_dicts()
    except duckdb.CatalogException:  # a snapshot published before the suites' results were kept
        return ["expectations not recorded in this snapshot"]
    if not rows:
        return ["expectations none run"]
    total, passed = rows[0]["expectations"], rows[0]["passed"]
    failed = [r for r in rows if not r["success"]]
    blocking = [r for r in failed if r["blocking"]]
    out = [f"expectations {passed} of {total} passed" + (
        "" if not failed else f"; {len(blocking)} blocking and {len(failed) - len(blocking)} non-blocking failed:")]
    out += [f"  {'BLOCKING ' if r['blocking'] else 'warning  '}{r['suite']}: {r['expectation']} "
            f"({r['unexpected_count']} row{'s' if r['unexpected_count'] != 1 else ''})" for r in failed]
    return out


def last_publication(paths: Paths, since: str | None = None) -> dict | None:
    """<reports>/last_publication.json, if a publication wrote it at or after ``since`` (ISO time, UTC)."""
    try:
        record = json.loads(paths.last_publication.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if since is not None and str(record.get("finished_at", "")) < since:
        return None
    return record


def build_summary(paths: Paths, summary: dict, started_at: str | None = None, limit: int = 20) -> str:
    """The closing summary of `unga build`: published or not and why, sessions, quarantined
    files and held-back resolutions with their reasons, and where the report is.

    Read from what the publication recorded (orchestration/build.py write_outcome), so a build
    through Dagster and one in process end alike. When no publication ran (nothing had
    changed), the quarantine and holds are read from the published snapshot.
    """
    record = last_publication(paths, started_at)
    if record is None and summary.get("snapshot") == "unchanged":
        record = _from_snapshot(paths)
    status = summary.get("status", "unknown")
    kept = " (unchanged, kept)" if summary.get("snapshot") == "unchanged" else ""
    out = [f"{status} in {summary.get('seconds', '?')} s; snapshot{kept}: {paths.snapshot}"]
    if status != "published":
        out.append("NOT PUBLISHED: " + ("the last good snapshot stays in place" if paths.snapshot.exists()
                                        else "there is no snapshot yet"))
        if record:
            out.append(f"  why: {record.get('message')}")
        failed_runs = {s: r for s, r in (summary.get("session_runs") or {}).items() if r != "success"}
        if failed_runs:
            out.append("  failed session runs: " + ", ".join(f"{s} ({r})" for s, r in failed_runs.items()))
    if record is None:
        return "\n".join(out)
    by_session = record.get("resolutions_by_session") or {}
    if by_session:
        out.append("sessions: " + ", ".join(f"{s} ({n} resolutions)" for s, n in by_session.items()))
    quarantined = record.get("quarantined") or []
    if quarantined:
        out.append(f"quarantined: {len(quarantined)} file(s) or document(s) not loaded (ops.rejected):")
        out += [f"  - {q['location']}: {q['reason']}" for q in quarantined[:limit]]
        if len(quarantined) > limit:
            out.append(f"  ... and {len(quarantined) - limit} more (unga sql \"SELECT * FROM ops.rejected\")")
    else:
        out.append("quarantined: none")
    held = record.get("held_back") or []
    if held:
        symbols = sorted({h["symbol"] for h in held})
        out.append(f"held back: {len(symbols)} resolution(s) broke a rule and were left out (ops.held_back):")
        for h in held[:limit]:
            out.append(f"  - {h['symbol']} (session {h['session']}): {h['rule']}: {h['reason']}")
        if len(held) > limit:
            out.append(f"  ... and {len(held) - limit} more (unga sql \"SELECT * FROM ops.held_back\")")
    else:
        out.append("held back: none")
    if record.get("report"):
        out.append(f"report: {record['report']}")
    return "\n".join(out)


def _from_snapshot(paths: Paths) -> dict | None:
    if not paths.snapshot.exists():
        return None
    con = open_snapshot(paths.snapshot)
    try:
        quarantined = con.execute(
            "SELECT session, source_path || coalesce('!' || member, '') AS location, stage, reason FROM ops.rejected "
            "ORDER BY session NULLS FIRST, location").pl().to_dicts()
        try:
            held = con.execute("SELECT session, symbol, rule, reason, failing_rows FROM ops.held_back "
                               "ORDER BY session, symbol, rule").pl().to_dicts()
        except Exception:  # a snapshot older than ops.held_back
            held = []
        counts = con.execute("SELECT session, count(*) FROM core.dim_resolution GROUP BY ALL ORDER BY 1").fetchall()
    finally:
        con.close()
    return {"quarantined": quarantined, "held_back": held,
            "resolutions_by_session": {str(s): n for s, n in counts}, "report": None}
