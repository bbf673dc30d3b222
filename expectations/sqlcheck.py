"""The suites' expectations evaluated as set-based SQL in DuckDB, with GE's semantics.

Why: GE's pandas engine needs every frame pulled whole into pandas (4-7 GB at ten times
the corpus) and spends ~23 ms of Python per expectation. Here each expectation is compiled
to aggregate SQL over the frame's query (the one :mod:`expectations.frames` reads: only the
columns the expectations name, long texts as their trimmed length, lists as their length),
so DuckDB scans each table once per frame for all its counts, and only the few unexpected
values GE would report (``SAMPLE_SIZE * 4``, in frame order) and the failing rows' symbols
(grouped in SQL) leave the database. What each expectation yields is what GE's own
``_validate`` yields for it (:func:`result_dict` mirrors ``_format_map_output``, BASIC), so
:mod:`expectations.ge` can hand GE the results and GE renders its own Data Docs pages.

GE's semantics kept (great_expectations 1.x, pandas engine):

* column map expectations ignore null values (``element_count`` is the rows of the frame
  meeting the row condition, ``missing_count`` its nulls, ``unexpected_percent`` over the
  non-null ones); ``ExpectColumnValuesToBeNull``/``NotBeNull`` count nulls themselves and
  report no missing fields; ``mostly`` (default 1) is honoured; an empty domain passes;
* row conditions are GE's pandas ``DataFrame.query`` clauses: ``!=`` and ``not in`` are true
  for a null (pandas compares NaN as different), ``==`` and ``in`` false;
* ``strict_min``/``strict_max`` make the bound exclusive; a None bound is no bound;
* uniqueness is pandas' ``duplicated(keep=False)`` over non-null values (every row of a
  repeated value is unexpected); compound uniqueness drops rows whose columns are all null
  (``ignore_row_if="all_values_are_missing"``) and, like pandas, groups nulls as equal;
* regular expressions: GE runs Python ``re.search`` (``str.contains``); DuckDB's
  ``regexp_matches`` is RE2, also a search. :func:`re2` rewrites the three constructs whose
  meaning differs between them in the patterns the suites use (expectations/suites/
  patterns.py and the suites): ``\\d`` (Python: any Unicode decimal digit; RE2: ASCII only) is
  ``\\p{Nd}``; ``\\b`` after a word (Python: Unicode word characters) is "end or a character
  that is not a letter, number or underscore"; a final ``$`` (Python: also before a trailing
  newline) accepts one trailing newline. Every other construct the suites use (anchors,
  classes of ASCII ranges, groups, alternation, counted repetition, escaped punctuation)
  means the same in both; tests/test_expectations_sql.py checks each suite regex on strings
  built to tell the dialects apart.

The distinct-value expectations read only the distinct values of their column (a few
hundred at most) and compare sets in Python, as GE does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from .results import SAMPLE_SIZE, _text
from .spec import LONG_TEXT, Expect, Frame, When

PARTIAL = SAMPLE_SIZE * 4  # GE's partial_unexpected_count as the runner asks for it
MAX_DISTINCT_VALUES = 20   # great_expectations.constants.MAX_DISTINCT_VALUES

MAP = {"ExpectColumnValuesToBeInSet", "ExpectColumnValuesToNotBeInSet", "ExpectColumnValuesToBeBetween",
       "ExpectColumnValuesToMatchRegex", "ExpectColumnValuesToNotMatchRegex", "ExpectColumnValuesToBeUnique"}
NULLNESS = {"ExpectColumnValuesToBeNull", "ExpectColumnValuesToNotBeNull"}
DISTINCT = {"ExpectColumnDistinctValuesToEqualSet", "ExpectColumnDistinctValuesToContainSet"}
SUPPORTED = MAP | NULLNESS | DISTINCT | {"ExpectCompoundColumnsToBeUnique", "ExpectTableRowCountToBeBetween"}


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def re2(pattern: str) -> str:
    """A Python ``re`` pattern of the suites rewritten so RE2 means the same (module docstring)."""
    out = pattern.replace(r"\d", r"\p{Nd}")
    out = out.replace(r"\b", r"(?:$|[^\p{L}\p{N}_])")
    if out.endswith("$") and not out.endswith(r"\$"):
        out = out[:-1] + r"\n?$"
    return out


# ------------------------------------------------------------------------------ the frame

@dataclass
class Source:
    """A frame as SQL: its query, bound parameters, the columns it has, and whether it carries
    ``__symbol`` (a table with a symbol column); every frame carries ``__rn``, its row order.
    ``exprs`` (a table frame) gives each column's expression, so a query that reads the frame
    twice (uniqueness) selects only the columns it needs: DuckDB materialises a CTE read twice,
    and the frame of core.fact_paragraph holds every paragraph's trimmed length."""

    sql: str
    params: list = field(default_factory=list)
    columns: set[str] = field(default_factory=set)
    symbol: bool = False
    exprs: dict[str, str] = field(default_factory=dict)
    table: str | None = None

    def narrow(self, columns: list[str]) -> str:
        """The frame's query with only ``columns`` (and ``__rn``, ``__symbol``)."""
        if self.table is None:
            return self.sql
        select = ["rowid AS __rn", *(f"{self.exprs[c]} AS {q(c)}" for c in columns)]
        if self.symbol:
            select.append("symbol AS __symbol")
        return f"SELECT {', '.join(select)} FROM {self.table}"


def table_source(frame: Frame, catalogue) -> tuple[Source | None, str | None]:
    """The frame's query, as :func:`expectations.frames._load` builds it, with the row number
    (``rowid``: DuckDB's insertion order, the order the pandas frame had) and the symbol."""
    table = frame.table
    if table not in catalogue:
        return None, f"table {table} does not exist"
    columns = catalogue[table]
    wanted = set().union(*(e.columns() for e in frame.expectations)) if frame.expectations else set()
    exprs: dict[str, str] = {}
    for name in sorted(wanted):
        if name in frame.derived:
            exprs[name] = frame.derived[name]
        elif name in columns:
            # A list is pulled as its length: enough for nullness, cheap to hash and compare.
            exprs[name] = f"len({q(name)})" if columns[name].endswith("[]") else q(name)
        elif name.endswith("_chars") and name[:-6] in columns and name[:-6] in LONG_TEXT:
            exprs[name] = f"length(trim({q(name[:-6])}))"
        # else: a column the table lacks; its expectations are not evaluated ("does not exist")
    source = Source("", [], set(exprs), "symbol" in columns, exprs, table)
    source.sql = source.narrow(sorted(exprs))
    return source, None


def values_source(columns: list[str], rows: list[tuple]) -> Source:
    """A small frame computed in Python (the codebook frame) as bound VALUES."""
    if not rows:
        cols = ", ".join(f"NULL::VARCHAR AS {q(c)}" for c in columns)
        return Source(f"SELECT 0 AS __rn, {cols} WHERE false", [], set(columns))
    width = len(columns) + 1
    values = ", ".join("(" + ", ".join(["?"] * width) + ")" for _ in rows)
    params = [v for i, row in enumerate(rows) for v in (i, *row)]
    names = ", ".join(["__rn", *map(q, columns)])
    cast = ", ".join(["__rn", *(f"{q(c)}::VARCHAR AS {q(c)}" for c in columns)])
    return Source(f"SELECT {cast} FROM (VALUES {values}) v({names})", params, set(columns))


# ------------------------------------------------------------------------- the predicates

def condition(when: When | None) -> tuple[str, list]:
    """GE's pandas row condition as SQL (nulls as ``DataFrame.query`` treats them)."""
    if when is None:
        return "TRUE", []
    c = q(when.column)
    if when.op == "==":
        return f"{c} = ?", [when.value]
    if when.op == "!=":
        return f"{c} IS DISTINCT FROM ?", [when.value]
    if when.op in ("in", "not in"):
        values = list(when.value)
        inside = f"{c} IN ({', '.join('?' * len(values))})" if values else "FALSE"
        if when.op == "in":
            return inside, values
        return f"({c} IS NULL OR NOT ({inside}))", values
    if when.op == "is null":
        return f"{c} IS NULL", []
    return f"{c} IS NOT NULL", []


def unexpected(e: Expect, kwargs: dict) -> tuple[str, list]:
    """A non-null value of a column map expectation that breaks it, as a SQL predicate."""
    c, cls = q(e.kwargs["column"]), e.gx_class
    if cls in ("ExpectColumnValuesToBeInSet", "ExpectColumnValuesToNotBeInSet"):
        values = list(kwargs.get("value_set") or [])
        inside = f"{c} IN ({', '.join('?' * len(values))})" if values else "FALSE"
        return (f"NOT ({inside})" if cls == "ExpectColumnValuesToBeInSet" else inside), values
    if cls == "ExpectColumnValuesToBeBetween":
        parts, params = [], []
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        if low is not None:
            parts.append(f"{c} {'>' if kwargs.get('strict_min') else '>='} ?")
            params.append(low)
        if high is not None:
            parts.append(f"{c} {'<' if kwargs.get('strict_max') else '<='} ?")
            params.append(high)
        return f"NOT ({' AND '.join(parts) or 'TRUE'})", params
    if cls in ("ExpectColumnValuesToMatchRegex", "ExpectColumnValuesToNotMatchRegex"):
        match = f"regexp_matches(CAST({c} AS VARCHAR), ?)"
        return (f"NOT {match}" if cls == "ExpectColumnValuesToMatchRegex" else match), [re2(kwargs["regex"])]
    raise ValueError(cls)


# ---------------------------------------------------------------------------- evaluation

@dataclass
class Evaluated:
    """One expectation's result as GE reports it (``success``, ``result``) or the error
    that kept it from being evaluated, and the failing rows by symbol."""

    success: bool
    result: dict
    error: str | None = None
    by_symbol: dict | None = None


def evaluate_frame(con, source: Source, frame: Frame, lookups: dict[str, dict]) -> dict[str, Evaluated]:
    """Every expectation of a frame: the counts of all of them in one scan, then the samples
    and symbols of those that failed."""
    out: dict[str, Evaluated] = {}
    base = f"WITH f AS ({source.sql}) "
    aggs, params, plan = [], [], []
    for e in frame.expectations:
        kwargs = lookups.get(e.name, e.kwargs)
        missing = sorted(c for c in e.columns() if c not in source.columns)
        if e.gx_class not in SUPPORTED:
            out[e.name] = Evaluated(False, {}, f"{e.gx_class} has no SQL form")
            continue
        if missing:
            out[e.name] = Evaluated(False, {}, f'The column "{missing[0]}" in BatchData does not exist.')
            continue
        if e.gx_class == "ExpectTableRowCountToBeBetween":
            aggs.append("count(*)")
            plan.append((e, kwargs, 1))
            continue
        if e.gx_class in DISTINCT or e.gx_class in ("ExpectColumnValuesToBeUnique", "ExpectCompoundColumnsToBeUnique"):
            plan.append((e, kwargs, 0))  # separate queries below
            continue
        w, wp = condition(e.when)
        c = q(e.kwargs["column"])
        aggs.append(f"count(*) FILTER (WHERE {w})")
        params += wp
        if e.gx_class in NULLNESS:
            bad = f"{c} IS NOT NULL" if e.gx_class == "ExpectColumnValuesToBeNull" else f"{c} IS NULL"
            aggs.append(f"count(*) FILTER (WHERE ({w}) AND {bad})")
            params += wp
            plan.append((e, kwargs, 2))
        else:
            pred, pp = unexpected(e, kwargs)
            aggs.append(f"count(*) FILTER (WHERE ({w}) AND {c} IS NULL)")
            aggs.append(f"count(*) FILTER (WHERE ({w}) AND {c} IS NOT NULL AND {pred})")
            params += wp + wp + pp
            plan.append((e, kwargs, 3))
    row = con.execute(base + f"SELECT {', '.join(aggs)} FROM f", source.params + params).fetchone() if aggs else ()
    i = 0
    for e, kwargs, width in plan:
        vals, i = row[i:i + width], i + width
        try:
            out[e.name] = _finish(con, base, source, e, kwargs, vals)
        except duckdb.Error as exc:
            out[e.name] = Evaluated(False, {}, f"SQL failed: {exc}".splitlines()[0])
    return out


def _finish(con, base: str, source: Source, e: Expect, kwargs: dict, vals: tuple) -> Evaluated:
    cls = e.gx_class
    if cls == "ExpectTableRowCountToBeBetween":
        n = vals[0]
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        ok = (low is None or n >= low) and (high is None or n <= high)
        return Evaluated(ok, {"observed_value": n})
    if cls in DISTINCT:
        return _distinct(con, base, source, e, kwargs)
    if cls == "ExpectColumnValuesToBeUnique":
        return _unique(con, base, source, e, [e.kwargs["column"]], compound=False)
    if cls == "ExpectCompoundColumnsToBeUnique":
        return _unique(con, base, source, e, list(e.kwargs["column_list"]), compound=True)
    w, wp = condition(e.when)
    c = q(e.kwargs["column"])
    mostly = kwargs.get("mostly", 1)
    if cls in NULLNESS:
        total, bad = vals
        bad_sql = f"{c} IS NOT NULL" if cls == "ExpectColumnValuesToBeNull" else f"{c} IS NULL"
        ok = total == 0 or (total - bad) / total >= mostly
        where, params = f"({w}) AND {bad_sql}", wp
        sample = _sample(con, base, source, c, where, params) if bad else []
        ev = Evaluated(ok, result_dict(total, None, bad, sample))
    else:
        total, nulls, bad = vals
        nonnull = total - nulls
        ok = total == 0 or nonnull == 0 or _mostly(nonnull, bad, mostly)
        pred, pp = unexpected(e, kwargs)
        where, params = f"({w}) AND {c} IS NOT NULL AND {pred}", wp + pp
        sample = _sample(con, base, source, c, where, params) if bad else []
        ev = Evaluated(ok, result_dict(total, nonnull, bad, sample))
    if not ev.success and source.symbol:
        ev.by_symbol = _by_symbol(con, base, source, [e.kwargs["column"]], where, params)
    return ev


def _mostly(nonnull: int, bad: int, mostly: float) -> bool:
    # great_expectations.expectations.expectation._mostly_success
    return (nonnull - bad) / nonnull >= mostly


def result_dict(total: int, nonnull: int | None, bad: int, sample: list) -> dict:
    """GE's ``_format_map_output`` for the BASIC result format."""
    out: dict[str, Any] = {"element_count": total, "unexpected_count": bad}
    pct_total = bad / total * 100 if total else None
    if nonnull is None:
        out["unexpected_percent"] = pct_total
        out["partial_unexpected_list"] = sample[:PARTIAL]
        return out
    missing = total - nonnull
    pct_nonmissing = (bad / nonnull * 100 if nonnull else None) if total else None
    out["unexpected_percent"] = pct_nonmissing
    out["partial_unexpected_list"] = sample[:PARTIAL]
    out.update(missing_count=missing, missing_percent=missing / total * 100 if total else None,
               unexpected_percent_total=pct_total, unexpected_percent_nonmissing=pct_nonmissing)
    return out


def _sample(con, base, source, c, where, params) -> list:
    sql = base + f"SELECT {c} FROM f WHERE {where} ORDER BY __rn LIMIT {PARTIAL}"
    return [r[0] for r in con.execute(sql, source.params + params).fetchall()]


def _by_symbol(con, base, source, columns: list[str], where: str, params: list) -> dict | None:
    """symbol -> (failing rows, the first SAMPLE_SIZE as "column=value" text), grouped in SQL;
    None when a failing row has no symbol (``rows_by_symbol``'s rule)."""
    cols = ", ".join(q(c) for c in columns)
    sql = (base + f", bad AS (SELECT __rn, __symbol, {cols} FROM f WHERE {where}), "
           f"firsts AS (SELECT *, row_number() OVER (PARTITION BY __symbol ORDER BY __rn) AS k FROM bad) "
           f"SELECT (SELECT count(*) FROM bad WHERE __symbol IS NULL), __symbol, "
           f"(SELECT count(*) FROM bad b WHERE b.__symbol = firsts.__symbol), {cols} "
           f"FROM firsts WHERE k <= {SAMPLE_SIZE} ORDER BY __symbol, __rn")
    rows = con.execute(sql, source.params + params).fetchall()
    if not rows or rows[0][0]:
        return None
    out: dict[str, tuple[int, list[str]]] = {}
    for _nulls, symbol, n, *values in rows:
        text = ", ".join(f"{k}={_text(v)}" for k, v in zip(columns, values))
        count, sample = out.get(symbol, (n, []))
        out[symbol] = (count, sample + [text])
    return out


def _unique(con, base, source, e: Expect, columns: list[str], compound: bool) -> Evaluated:
    base = f"WITH f AS ({source.narrow(columns)}) "
    cols = ", ".join(q(c) for c in columns)
    if compound:  # rows whose columns are all null are dropped (ignore_row_if="all_values_are_missing")
        keep = " OR ".join(f"{q(c)} IS NOT NULL" for c in columns)
    else:
        keep = f"{q(columns[0])} IS NOT NULL"
    # A row is unexpected when its value (tuple) occurs more than once among the kept rows;
    # nulls compare equal (IS NOT DISTINCT FROM), as in pandas' duplicated().
    dup = f"dup AS (SELECT {cols} FROM f WHERE {keep} GROUP BY ALL HAVING count(*) > 1)"
    on = " AND ".join(f"f.{q(c)} IS NOT DISTINCT FROM dup.{q(c)}" for c in columns)
    where = f"({keep}) AND EXISTS (SELECT 1 FROM dup WHERE {on})"
    total, kept, bad = con.execute(
        base + f", {dup} SELECT count(*), count(*) FILTER (WHERE {keep}), count(*) FILTER (WHERE {where}) FROM f",
        source.params).fetchone()
    sample: list = []
    if bad:
        rows = con.execute(base + f", {dup} SELECT {cols} FROM f WHERE {where} ORDER BY __rn LIMIT {PARTIAL}",
                           source.params).fetchall()
        sample = [dict(zip(columns, r)) for r in rows] if compound else [r[0] for r in rows]
    ok = total == 0 or kept == 0 or bad == 0
    ev = Evaluated(ok, result_dict(total, kept, bad, sample))
    if not ok and source.symbol:
        ev.by_symbol = _by_symbol(con, base + f", {dup}", source, columns, where, [])
    return ev


def _distinct(con, base, source, e: Expect, kwargs: dict) -> Evaluated:
    c = q(e.kwargs["column"])
    base = f"WITH f AS ({source.narrow([e.kwargs['column']])}) "
    observed = {r[0] for r in con.execute(base + f"SELECT DISTINCT {c} FROM f WHERE {c} IS NOT NULL",
                                          source.params).fetchall()}
    expected = set(kwargs.get("value_set") or [])
    missing = sorted(expected - observed, key=str)
    if e.gx_class == "ExpectColumnDistinctValuesToContainSet":
        return Evaluated(not missing, {"observed_value": None, "missing_count": len(missing),
                                       "partial_missing_list": missing[:MAX_DISTINCT_VALUES]})
    extra = sorted(observed - expected, key=str)
    return Evaluated(not missing and not extra, {
        "observed_value": None, "unexpected_count": len(extra), "missing_count": len(missing),
        "partial_unexpected_list": extra[:MAX_DISTINCT_VALUES], "partial_missing_list": missing[:MAX_DISTINCT_VALUES]})


def rules_results(frame: Frame, columns: dict[str, list[str]], by_symbol: dict) -> dict[str, Evaluated]:
    """The rules frame's expectations (each rule's column expected null): the rule's SQL already
    returned only its violating rows, so GE's counts are those rows. The frame's height is the
    longest rule's; ``ExpectColumnValuesToBeNull`` reports no missing fields."""
    height = max((len(v) for v in columns.values()), default=0)
    out = {}
    for e in frame.expectations:
        texts = columns.get(e.kwargs["column"])
        if texts is None:
            continue
        bad = len(texts)
        out[e.name] = Evaluated(height == 0 or bad == 0, result_dict(height, None, bad, texts[:PARTIAL]),
                                by_symbol=by_symbol.get(e.name) if bad else None)
    return out

