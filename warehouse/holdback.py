"""Hold back the resolutions that break a rule, publish the rest.

A blocking rule that fails on some resolutions says those resolutions are wrong, not the
warehouse: the pipeline takes them out of ``core`` (and so out of every table built from
it), records them in ``raw.held_back`` with the rule, the failing rows and the reason, and
publishes everything else. A failure is *systemic*, and blocks the snapshot as before, when
it cannot be pinned on resolutions (a rule whose rows carry no symbol, a schema or
row-count expectation, an aggregate that does not add up) or when too many resolutions
would be held back for the failure to be a few bad documents (:data:`SESSION_SHARE`,
:data:`OVERALL_SHARE`).

Held-back rows stay until the session's staging is rebuilt (new bytes landed, or new parser
code) or the rules change (:func:`warehouse.pipeline.rules_version`); the next build then
tries the resolution again, so a fix brings it back with no manual step.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import polars as pl

from warehouse import db

# A session with more than a tenth of its resolutions failing rules is not a few bad
# documents: the parser or a rule does not fit that session's shape (a new layout, a new
# kind of resolution), and publishing nine tenths of a session as if it were whole would
# mislead trend readers more than keeping the last good snapshot does. Across the
# warehouse the bar is lower, 5%: a defect spread over every session is a code defect.
SESSION_SHARE = 0.10
OVERALL_SHARE = 0.05
# Below these counts a share means little (a session of 13 resolutions, a first partial
# release), so up to this many are always held back rather than blocking.
MIN_COUNT = 3
SAMPLE_SIZE = 5


@dataclass(frozen=True)
class Hold:
    """One resolution held back by one rule."""

    symbol: str
    rule: str
    reason: str
    failing_rows: int
    sample: tuple[str, ...]


@dataclass
class Verdict:
    """What the failures of one round mean: resolutions to hold back, or a systemic failure."""

    holds: list[Hold] = field(default_factory=list)
    systemic: list[str] = field(default_factory=list)  # why the snapshot must be blocked

    @property
    def symbols(self) -> set[str]:
        return {h.symbol for h in self.holds}


def from_checks(checks: dict[str, pl.DataFrame], reasons: dict[str, str]) -> Verdict:
    """The failed structural checks: rows with a ``symbol`` hold it back; others are systemic."""
    verdict = Verdict()
    for name, frame in checks.items():
        if frame.height == 0:
            continue
        rule = f"check {name}"
        if "symbol" not in frame.columns or frame["symbol"].null_count():
            verdict.systemic.append(f"{rule}: {frame.height} failing rows that name no resolution")
            continue
        texts = [", ".join(f"{k}={v}" for k, v in row.items() if k != "symbol")
                 for row in frame.iter_rows(named=True)]
        grouped: dict[str, list[str]] = {}
        for symbol, text in zip(frame["symbol"].to_list(), texts):
            grouped.setdefault(symbol, []).append(text)
        for symbol, rows in grouped.items():
            verdict.holds.append(Hold(symbol, rule, reasons.get(name, name), len(rows), tuple(rows[:SAMPLE_SIZE])))
    return verdict


def from_suites(suites) -> Verdict:
    """The failed blocking expectations of an ``expectations.runner.SuitesResult``."""
    verdict = Verdict()
    for suite in suites.suites:
        if not suite.blocking or suite.success is not False:
            continue
        for e in suite.failures:
            rule = f"suite {suite.name}: {e.name}"
            if e.error is not None or not e.by_symbol:
                verdict.systemic.append(f"{rule} ({e.error or f'{e.unexpected_count} unexpected'}; "
                                        "names no resolution)")
                continue
            for symbol, (count, sample) in e.by_symbol.items():
                verdict.holds.append(Hold(symbol, rule, e.description, count, tuple(sample[:SAMPLE_SIZE])))
    return verdict


def held(con) -> pl.DataFrame:
    """The resolutions held back now, one row per resolution and rule."""
    return con.execute("SELECT session, symbol, rule, reason, failing_rows, sample, held_at "
                       "FROM raw.held_back ORDER BY session, symbol, rule").pl()


def sessions_of(con, symbols: set[str]) -> dict[str, int]:
    """The session partition each symbol is built in (its current document's)."""
    rows = con.execute(
        "SELECT DISTINCT symbol, session FROM staging.document_status WHERE status = 'current' "
        "AND symbol IN (SELECT unnest(?::VARCHAR[]))", [sorted(symbols)]).fetchall()
    return dict(rows)


def over_limits(con, new: set[str], placed: dict[str, int]) -> list[str]:
    """Why holding back ``new`` (with those already held) would be systemic, or []."""
    already = dict(con.execute("SELECT DISTINCT symbol, session FROM raw.held_back").fetchall())
    by_session: dict[int, set[str]] = {}
    for symbol, session in {**already, **{s: placed[s] for s in new if s in placed}}.items():
        by_session.setdefault(session, set()).add(symbol)
    sizes = dict(con.execute(
        "SELECT session, count(DISTINCT symbol) FROM staging.document_status WHERE status = 'current' "
        "GROUP BY session").fetchall())
    problems = []
    for session, symbols in sorted(by_session.items()):
        total = sizes.get(session, len(symbols))
        limit = max(MIN_COUNT, math.floor(SESSION_SHARE * total))
        if len(symbols) > limit:
            problems.append(f"session {session}: {len(symbols)} of {total} resolutions break rules, more than "
                            f"the {limit} ({SESSION_SHARE:.0%}) that may be held back: the parser or a rule does "
                            "not fit this session")
    total = sum(sizes.values())
    count = sum(len(s) for s in by_session.values())
    limit = max(MIN_COUNT, math.floor(OVERALL_SHARE * total))
    if count > limit:
        problems.append(f"{count} of {total} resolutions break rules, more than the {limit} ({OVERALL_SHARE:.0%}) "
                        "that may be held back across the warehouse")
    return problems


def hold_back(con, verdict: Verdict, placed: dict[str, int], rules_version: str) -> set[int]:
    """Record the verdict's holds in raw.held_back; the sessions whose core must be rebuilt."""
    rows = [h for h in verdict.holds if h.symbol in placed]
    if not rows:
        return set()
    frame = pl.DataFrame({
        "session": [placed[h.symbol] for h in rows],
        "symbol": [h.symbol for h in rows],
        "rule": [h.rule for h in rows],
        "reason": [h.reason for h in rows],
        "failing_rows": [h.failing_rows for h in rows],
        "sample": [list(h.sample) for h in rows],
        "rules_version": [rules_version] * len(rows),
        "held_at": [dt.datetime.now(dt.UTC).replace(tzinfo=None)] * len(rows),
    }, schema_overrides={"session": pl.Int32, "failing_rows": pl.Int64, "sample": pl.List(pl.Utf8)})
    with db.transaction(con):
        con.register("_held", frame.to_arrow())
        try:
            # One row per (symbol, rule): a second round that finds the same failure again
            # (it cannot, the resolution is out of core, but a retry might) adds nothing.
            con.execute("DELETE FROM raw.held_back h WHERE EXISTS "
                        "(SELECT 1 FROM _held n WHERE n.symbol = h.symbol AND n.rule = h.rule)")
            con.execute("INSERT INTO raw.held_back BY NAME SELECT * FROM _held")
        finally:
            con.unregister("_held")
    return {placed[h.symbol] for h in rows}
