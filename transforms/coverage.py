"""How much of each period the warehouse holds: GA sessions and calendar years.

A trend read over periods is only as good as the periods are whole. The bundled data end
in September 2025 with the close of session 79, so the calendar year 2025 holds only that
session's January-to-September resolutions (74 of them, against some 340 in a whole year)
and 2019 only session 74's autumn; a year-on-year line falls at both ends for reasons that
have nothing to do with its topic. This module says, for each session and each calendar
year the loaded sessions touch, how many resolutions are loaded, how many are known to
exist and are not, and whether the period is complete. It is pure Python over the frame of
what the warehouse knows of (``warehouse/sql/marts/coverage_inputs.sql``); the rules come
from how the General Assembly numbers and dates its resolutions, not from the data loaded:

* **Sessions and their windows.** Regular session N opens in September of 1945 + N and
  runs until session N + 1 opens a year later; its resolutions carry dates from 1 September
  of its opening year to 30 September of the next (:func:`transforms.symbols.session_bounds`:
  resumed parts run into the September in which the next session opens). A session is
  *closed* once the last day of that window has passed (as of the build). Resolutions of
  special and emergency special sessions count in the regular session in progress on their
  adoption date (:func:`transforms.symbols.regular_session_for`), as everywhere else.
* **Numbers are issued in sequence at adoption.** Within a numbering (a regular session's:
  A/RES/78/1, 78/2 ...; or a special or emergency special session's own, which runs across
  regular sessions: ES-10/21 in 2023, ES-10/24 in 2024) each resolution gets the next number
  when it is adopted. So every number below the highest one known (in the XML or in DGACM's
  metadata, ``core.manifest``) was issued, and one that neither holds is a resolution adopted
  but missing. And it was adopted between its nearest known neighbours, which dates it to a
  range and so to a session and a year, or to one of two when the range straddles a boundary
  (then it is *uncertain* in each). The parts of a resolution adopted in parts (78/254 A-C)
  share a number, so a missing number counts as one resolution, and the number was issued
  when its first part was adopted: later parts can come months later (75/245 B in April 2021,
  after 75/246 in December 2020), so a number is dated by its earliest adoption. A special session's numbers
  below the first one known are not counted: they belong to earlier years (ES-10/1 is 1997).
  ``expectations/sql/resolution_numbers_follow_adoption.sql`` checks the premise on what is
  loaded.
* **Known but not loaded.** A resolution in DGACM's metadata whose text did not land, and one
  held back by a rule (``raw.held_back``), is missing from the marts too, dated by the
  metadata or its own XML.
* **Calendar years.** Year Y holds the end of session Y - 1946 (January to September) and the
  start of session Y - 1945 (September to December). Its total is unknown while a part that
  has begun belongs to a session not loaded, and it is complete only when it is over, both
  parts are loaded and each is bounded: its session has closed, or that session's numbering
  already shows adoptions after the year's end.

A period is *complete* when it is over and nothing is known to be missing from it: a session
whose last resolutions are in neither the XML nor the metadata cannot be told from a whole
one, since no document gives a session's final count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import polars as pl

from transforms.symbols import SymbolError, parse_symbol, regular_session_for, session_bounds

# Known symbols not loaded, by why (the state coverage_inputs.sql gives them), as a reason reads them.
_WHY = {
    "gap": "its number was skipped: neither the XML nor DGACM's metadata has it",
    "metadata_only": "in DGACM's metadata, no text landed",
    "held_back": "held back by a rule, see ops.held_back",
    "not_loaded": "landed but not loaded",
    "undated": "loaded without an adoption date",
}
LISTED = 8  # symbols a reason names before "and N more": enough to act on, short enough to read

SCHEMA = {
    "period_type": pl.Utf8, "period": pl.Int32, "label": pl.Utf8,
    "sessions": pl.List(pl.Int32), "sessions_loaded": pl.List(pl.Int32),
    "starts_on": pl.Date, "ends_on": pl.Date, "first_adopted": pl.Date, "last_adopted": pl.Date,
    "resolutions_loaded": pl.Int32, "resolutions_missing": pl.Int32, "resolutions_uncertain": pl.Int32,
    "resolutions_expected": pl.Int32, "coverage": pl.Float64, "is_closed": pl.Boolean, "is_complete": pl.Boolean, "is_partial": pl.Boolean,
    "missing_symbols": pl.List(pl.Utf8), "uncertain_symbols": pl.List(pl.Utf8), "partial_reason": pl.Utf8,
}


@dataclass
class _Item:
    """One resolution the warehouse knows of (or infers from a skipped number)."""
    symbol: str
    label: str
    number: int
    state: str                      # loaded | metadata_only | held_back | gap
    session: int | None             # None only for an inferred special-session number
    adopted_on: dt.date | None
    low: dt.date | None = None      # adoption date range: exact, or bounded by the neighbours
    high: dt.date | None = None
    sessions: set[int] = field(default_factory=set)
    years: set[int] = field(default_factory=set)


def calendar_phase(as_of: dt.date) -> str:
    """What of ``as_of`` the verdicts depend on, for the build's fingerprint.

    A period is judged against the build date only through "has it begun" (1 January, 1
    September) and "is it over" (30 September, 31 December), so the verdicts change only when
    the year changes, on 1 September and on 1 October: the marts are rebuilt then, not daily.
    """
    phase = "a" if as_of < dt.date(as_of.year, 9, 1) else "b" if as_of <= dt.date(as_of.year, 9, 30) else "c"
    return f"{as_of.year}{phase}"


def session_label(session: int) -> str:
    suffix = "th" if session % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(session % 10, "th")
    return f"{session}{suffix} session ({1945 + session}-{(1946 + session) % 100:02d})"


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%B} {d.year}"


def _either(values) -> str:
    values = [str(v) for v in sorted(values)]
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


def _items(known: pl.DataFrame) -> list[_Item]:
    """The known symbols, and one item per number skipped within a numbering."""
    items: list[_Item] = []
    for row in known.iter_rows(named=True):
        try:
            _, label, number, _ = parse_symbol(row["symbol"])
        except SymbolError:
            continue  # not a resolution symbol: nothing to count it in
        items.append(_Item(row["symbol"], label, number, row["state"], row["session"], row["adopted_on"]))
    for label, members in _group(items).items():
        numbers = {m.number for m in members}
        regular = label.isdigit()
        # A regular session numbers from 1; a special one's numbers below the first known are
        # from earlier sessions, outside what is loaded.
        first = 1 if regular else min(numbers)
        for number in range(first, max(numbers)):
            if number not in numbers:
                items.append(_Item(f"A/RES/{label}/{number}", label, number, "gap",
                                   int(label) if regular else None, None))
    for label, members in _group(items).items():
        _place(label, members)
    return items


def _group(items: list[_Item]) -> dict[str, list[_Item]]:
    out: dict[str, list[_Item]] = defaultdict(list)
    for item in items:
        out[item.label].append(item)
    return out


def _place(label: str, members: list[_Item]) -> None:
    """Date each item (exactly, or between its dated neighbours) and give its sessions and years."""
    dated: dict[int, list[dt.date]] = defaultdict(list)
    for m in members:
        if m.adopted_on is not None:
            dated[m.number].append(m.adopted_on)
    order = sorted(dated)
    regular = label.isdigit()
    for m in members:
        if m.adopted_on is not None:
            m.low = m.high = m.adopted_on
        else:
            below = [n for n in order if n < m.number]
            above = [n for n in order if n > m.number]
            # A number's date is its first part's: when the number was issued.
            m.low = min(dated[below[-1]]) if below else None
            m.high = min(dated[above[0]]) if above else None
        if regular:
            start, end = session_bounds(int(label))
            m.session = int(label)
            m.low = max(m.low, start) if m.low else start
            m.high = min(m.high, end) if m.high else end
            m.sessions = {m.session}
        elif m.session is not None:
            m.sessions = {m.session}
        elif m.low is not None and m.high is not None:
            m.sessions = set(range(regular_session_for(m.low), regular_session_for(m.high) + 1))
        if m.low is not None and m.high is not None:
            m.years = set(range(m.low.year, m.high.year + 1))


@dataclass
class _Period:
    kind: str
    period: int
    parts: list[tuple[int, dt.date, dt.date]]   # (session, first day, last day) of what it holds

    @property
    def starts_on(self) -> dt.date:
        return min(p[1] for p in self.parts) if self.kind == "session" else dt.date(self.period, 1, 1)

    @property
    def ends_on(self) -> dt.date:
        return max(p[2] for p in self.parts) if self.kind == "session" else dt.date(self.period, 12, 31)


def _periods(sessions: list[int], as_of: dt.date) -> list[_Period]:
    out = [_Period("session", s, [(s, *session_bounds(s))]) for s in sorted(set(sessions))]
    # The calendar years the loaded sessions reach into, once begun.
    years = sorted({y for s in sessions for y in (1945 + s, 1946 + s) if dt.date(y, 1, 1) <= as_of})
    for y in years:
        out.append(_Period("year", y, [(y - 1946, dt.date(y, 1, 1), dt.date(y, 9, 30)),
                                       (y - 1945, dt.date(y, 9, 1), dt.date(y, 12, 31))]))
    return out


def coverage(known: pl.DataFrame, sessions: list[int], as_of: dt.date) -> pl.DataFrame:
    """One row per loaded session and per calendar year they reach into (marts.period_coverage).

    ``known``: symbol, session (the regular session it is placed in), adopted_on and state
    (loaded, metadata_only or held_back), one row per resolution symbol the warehouse knows of.
    ``sessions``: the sessions loaded. ``as_of``: the day the periods are judged on (the build).
    """
    items = _items(known)
    loaded_sessions = set(sessions)
    # The latest adoption each session's numbering shows: a year's part is bounded by it.
    latest: dict[int, dt.date] = {}
    for it in items:
        if it.adopted_on is not None and it.session is not None:
            latest[it.session] = max(latest.get(it.session, it.adopted_on), it.adopted_on)
    rows = []
    for p in _periods(sessions, as_of):
        rows.append(_judge(p, items, loaded_sessions, latest, as_of))
    return pl.DataFrame(rows, schema=SCHEMA, orient="row") if rows else pl.DataFrame(schema=SCHEMA)


def _judge(p: _Period, items: list[_Item], loaded_sessions: set[int], latest: dict[int, dt.date],
           as_of: dt.date) -> tuple:
    session_period = p.kind == "session"

    def candidates(it: _Item) -> set[int]:
        return it.sessions if session_period else it.years

    def in_marts(it: _Item) -> bool:
        # The per-year marts count only dated resolutions (year is the year of adoption).
        return it.state == "loaded" and (session_period or it.adopted_on is not None)

    loaded = [it for it in items if in_marts(it) and candidates(it) == {p.period}]
    missing = sorted((it for it in items if not in_marts(it) and candidates(it) == {p.period}),
                     key=lambda it: (it.label, it.number, it.symbol))
    uncertain = sorted((it for it in items if not in_marts(it) and p.period in candidates(it)
                        and len(candidates(it)) > 1), key=lambda it: (it.label, it.number, it.symbol))
    distinct_loaded = len({it.symbol for it in loaded})
    dates = [it.adopted_on for it in loaded if it.adopted_on is not None]

    closed = as_of > p.ends_on
    begun = [(s, a, b) for s, a, b in p.parts if a <= as_of]
    unloaded = [(s, a, b) for s, a, b in begun if s not in loaded_sessions]
    # A part of a year whose session is still open and shows no adoption after the part's end
    # may still grow.
    growing = [(s, a, b) for s, a, b in begun if s in loaded_sessions and not session_period
               and as_of <= session_bounds(s)[1] and latest.get(s, a) <= b]
    expected = None if unloaded else distinct_loaded + len(missing)
    share = None if expected is None else (distinct_loaded / expected if expected else 1.0)
    complete = closed and not unloaded and not growing and not missing and not uncertain
    # Partial in time, as a chart must say: the period has not ended, a part of it belongs to a
    # session not loaded, or an open session may still add to it. A period that is whole in time
    # but lacks single resolutions (missing or uncertain) is not partial: its coverage says how
    # much is lacking (one uncertain resolution of several hundred must not mark a session as if
    # only half of it were there).
    partial = not closed or bool(unloaded) or bool(growing)
    name = f"session {p.period}" if session_period else str(p.period)

    reasons: list[str] = []
    if session_period and not closed:
        reasons.append(f"session {p.period} is still in progress (its resolutions may be dated up to "
                       f"{_day(p.ends_on)}): these are its resolutions so far")
    if not session_period:
        reasons += _year_parts(p, begun, unloaded, loaded_sessions)
        if not closed:
            reasons.append(f"{p.period} is not over")
        reasons += [f"session {s} is still in progress, so more of its resolutions may be adopted in {p.period}"
                    for s, _, _ in growing]
    if missing:
        n = len(missing)
        listed = ", ".join(f"{it.symbol} ({_WHY['undated' if it.state == 'loaded' else it.state]})"
                           for it in missing[:LISTED])
        more = f" and {n - LISTED} more" if n > LISTED else ""
        reasons.append(f"{n} resolution{'s' if n > 1 else ''} known to be adopted in {name} "
                       f"{'are' if n > 1 else 'is'} not loaded: {listed}{more}")
    for it in uncertain[:LISTED]:
        where = (f"session {_either(it.sessions)}" if session_period else _either(it.years))
        when = (f"between {_day(it.low)} and {_day(it.high)}" if it.low != it.high else f"on {_day(it.low)}")
        reasons.append(f"{it.symbol} is not loaded ({_WHY['undated' if it.state == 'loaded' else it.state]}) "
                       f"and was adopted {when}, so in {where}")
    if len(uncertain) > LISTED:
        reasons.append(f"{len(uncertain) - LISTED} more resolutions like it")
    reason = "; ".join(reasons) if not complete else None
    if reason:
        reason = reason[0].upper() + reason[1:]
    return (
        p.kind, p.period, session_label(p.period) if session_period else str(p.period),
        [s for s, _, _ in p.parts], [s for s, _, _ in p.parts if s in loaded_sessions],
        p.starts_on, p.ends_on, min(dates) if dates else None, max(dates) if dates else None,
        distinct_loaded, len(missing), len(uncertain), expected, share, closed, complete, partial,
        [it.symbol for it in missing], [it.symbol for it in uncertain], reason,
    )


def _year_parts(p: _Period, begun, unloaded, loaded_sessions: set[int]) -> list[str]:
    """"2025 holds only session 79's resolutions adopted January to September; ...": the parts of a
    year whose session is not loaded, named."""
    if not unloaded:
        return []
    spans = {p.parts[0][0]: "January to September", p.parts[1][0]: "September to December"}
    held = [s for s, _, _ in begun if s in loaded_sessions]
    out = []
    if held:
        out.append(f"{p.period} holds only session {held[0]}'s resolutions adopted {spans[held[0]]}")
    for s, a, _ in unloaded:
        when = (f"adopted January to September {p.period}" if s == p.parts[0][0]
                else f"adopted from September {p.period}")
        out.append(f"session {s}'s resolutions, {when}, are not loaded")
    return out
