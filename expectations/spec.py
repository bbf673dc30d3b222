"""The vocabulary the suites are written in, free of Great Expectations.

A *suite* (:class:`SuiteDef`) is a named group of expectations over some tables of the
warehouse, flagged ``blocking`` (a failure stops the publication of the snapshot) or
warning-only. Declaring it does not import Great Expectations (a 3-second import): the
Dagster definitions can list the suites, their tables and their flags for free, and only
:mod:`expectations.runner` turns the declarations into GE objects.

A suite is built (:meth:`SuiteDef.build`) into :class:`Frame` objects, each validated by GE
as one batch:

* one frame per **table**, holding only the columns its expectations name (pulled from
  DuckDB through Arrow). Expectations on it are plain GE column expectations
  (:class:`Expect`), optionally restricted to some rows with a :class:`When` condition.
  Every table documented in ``warehouse/codebook.yaml`` gets expectations generated from
  its entry (:func:`codebook_expectations`): allowed values for every ``values`` list, and
  uniqueness and not-null for its ``key``.
* one **codebook** frame per suite (:func:`_codebook_frame`): the columns of the suite's
  tables as DuckDB's catalogue lists them (``duckdb_columns()``), one row each, with the
  null rows of every documented column that has no ``nulls`` note (counted by DuckDB in one
  scan per table). Three generated expectations check that every column is documented with
  its type, every documented column is present, and no column is null unless the codebook
  says when. The documentation and the suites therefore cannot drift: edit the YAML and
  the suites follow.
* one **rules** frame per suite for the cross-table rules (:class:`Rule`). A rule is a SQL
  query, kept in ``expectations/sql/<name>.sql`` like the warehouse's own checks in
  ``warehouse/sql/checks``, that returns the rows breaking it (none when the data is right).
  DuckDB runs it; the runner writes each violating row as one text value ("symbol=A/RES/78/1,
  kind=operative, ordinal=3") into a column named after the rule, and GE expects that column
  to be null throughout (``expect_column_values_to_be_null``). A clean warehouse gives an
  empty frame and a pass; a broken one fails with the count of violating rows and the first
  of them as the unexpected values, shown in the Data Docs. (GE's own
  ``UnexpectedRowsExpectation`` would need a SQL data source opened on the database file by
  SQLAlchemy, a second connection beside the caller's, which DuckDB refuses when the caller
  holds the file read-write; this keeps the single connection the caller passes in.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from warehouse import db

SQL_DIR = Path(__file__).with_name("sql")

# Long text columns are not copied out of DuckDB: the frame holds their length once trimmed,
# under "<column>_chars" (null when the text is null, 0 when it is blank), which is all the
# generated expectations (not null) and the hand-written ones (not blank) need.
LONG_TEXT = frozenset({"text", "body", "diff", "raw"})
FIRST_YEAR = 1946  # the first resolutions of the General Assembly (session 1, 1946)


def chars(column: str) -> str:
    """The frame column holding a long text column's trimmed length."""
    return f"{column}_chars"


@dataclass(frozen=True)
class Lookup:
    """A value computed from the database at run time (a value set, a bound).

    ``sql`` returns one column; ``many`` says whether the value is the list of all rows
    (a value set) or the single first value.
    """

    sql: str
    many: bool = True


@dataclass(frozen=True)
class When:
    """Restrict an expectation to the rows where ``column`` meets a condition (GE's
    ``row_condition``): ``op`` is "==", "!=", "in", "not in", "is null" or "is not null"."""

    column: str
    op: str
    value: Any = None

    def __post_init__(self):
        if self.op not in ("==", "!=", "in", "not in", "is null", "is not null"):
            raise ValueError(f"unknown condition operator {self.op!r}")

    def text(self) -> str:
        if self.op in ("is null", "is not null"):
            return f"{self.column} {self.op}"
        return f"{self.column} {self.op} {self.value!r}"


@dataclass(frozen=True)
class Expect:
    """One expectation: a GE expectation class (by name, e.g. "ExpectColumnValuesToBeInSet"),
    its arguments, a stable ``name`` unique within the suite, and why it holds."""

    name: str
    gx_class: str
    kwargs: Mapping[str, Any]
    description: str
    when: When | None = None

    @property
    def column(self) -> str | None:
        """The column the expectation is about (the first one for multi-column ones)."""
        for key in ("column", "column_A"):
            if key in self.kwargs:
                return self.kwargs[key]
        cols = self.kwargs.get("column_list")
        return ", ".join(cols) if cols else None

    def columns(self) -> set[str]:
        """Every frame column the expectation reads (its row condition's included)."""
        out = {self.kwargs[k] for k in ("column", "column_A", "column_B") if k in self.kwargs}
        out |= set(self.kwargs.get("column_list", ()))
        if self.when is not None:
            out.add(self.when.column)
        return out


@dataclass(frozen=True)
class Rule:
    """A cross-table rule: ``sql`` returns the rows that break it (no rows: the rule holds)."""

    name: str
    description: str
    sql: str

    @classmethod
    def from_file(cls, name: str) -> "Rule":
        """The rule in expectations/sql/<name>.sql; its leading comment is its description."""
        text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
        return cls(name, _leading_comment(text), text)

    @classmethod
    def from_check(cls, check: str, description: str) -> "Rule":
        """A rule that reuses a structural check of warehouse/sql/checks (same SQL, so the
        Dagster check and the suite cannot disagree about it)."""
        return cls(check, description, db.sql_text(f"checks/{check}.sql"))


def _leading_comment(text: str) -> str:
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("--"):
            break
        lines.append(stripped[2:].strip())
    return " ".join(x for x in lines if x)


@dataclass
class Frame:
    """One GE batch: a table (only the columns its expectations read) or a computed frame."""

    name: str
    table: str | None = None
    derived: dict[str, str] = field(default_factory=dict)  # frame column -> SQL expression
    expectations: list[Expect] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)  # the rules frame only
    catalogue_of: tuple[str, ...] = ()  # the codebook frame only: the tables it lists
    never_null: dict[str, list[str]] = field(default_factory=dict)  # codebook frame: columns to count nulls of

    @property
    def kind(self) -> str:
        if self.rules or self.name == "rules":
            return "rules"
        if self.catalogue_of or self.name == "codebook":
            return "codebook"
        return "table"


# ----------------------------------------------------------------------------- builder

class TableBuilder:
    """Adds expectations on one table's frame. Every method takes the rationale as ``why``."""

    def __init__(self, frame: Frame, names: set[str]):
        self.frame = frame
        self._names = names

    @property
    def table(self) -> str:
        return self.frame.table or self.frame.name

    def derive(self, column: str, sql: str) -> "TableBuilder":
        """Add a computed column to the frame (a SQL expression over the table's columns)."""
        self.frame.derived[column] = sql
        return self

    def expect(self, short: str, gx_class: str, why: str, when: When | None = None, **kwargs) -> "TableBuilder":
        name = f"{self.table}.{short}"
        if name in self._names:
            raise ValueError(f"two expectations named {name!r}")
        self._names.add(name)
        self.frame.expectations.append(Expect(name, gx_class, kwargs, " ".join(why.split()), when))
        return self

    # The vocabulary the suites use most.
    def not_null(self, column: str, why: str, when: When | None = None):
        return self.expect(f"{column}.not_null", "ExpectColumnValuesToNotBeNull", why, when, column=column)

    def null(self, column: str, why: str, when: When | None = None):
        return self.expect(f"{column}.null" + _suffix(when), "ExpectColumnValuesToBeNull", why, when, column=column)

    def unique(self, columns: str | Iterable[str], why: str):
        cols = [columns] if isinstance(columns, str) else list(columns)
        if len(cols) == 1:
            return self.expect(f"{cols[0]}.unique", "ExpectColumnValuesToBeUnique", why, column=cols[0])
        return self.expect(f"({','.join(cols)}).unique", "ExpectCompoundColumnsToBeUnique", why, column_list=cols)

    def in_set(self, column: str, values, why: str, when: When | None = None, short: str | None = None):
        vs = values if isinstance(values, Lookup) else sorted(set(values), key=str)
        return self.expect(short or f"{column}.in_set" + _suffix(when), "ExpectColumnValuesToBeInSet", why, when,
                           column=column, value_set=vs)

    def between(self, column: str, low=None, high=None, why: str = "", when: When | None = None,
                short: str | None = None, strict_low: bool = False, strict_high: bool = False):
        kwargs: dict[str, Any] = {"column": column, "min_value": low, "max_value": high}
        if strict_low:
            kwargs["strict_min"] = True
        if strict_high:
            kwargs["strict_max"] = True
        return self.expect(short or f"{column}.range" + _suffix(when), "ExpectColumnValuesToBeBetween", why, when, **kwargs)

    def matches(self, column: str, regex: str, why: str, when: When | None = None, short: str | None = None):
        return self.expect(short or f"{column}.format" + _suffix(when), "ExpectColumnValuesToMatchRegex", why, when,
                           column=column, regex=regex)

    def not_matches(self, column: str, regex: str, why: str, short: str, when: When | None = None):
        return self.expect(short, "ExpectColumnValuesToNotMatchRegex", why, when, column=column, regex=regex)

    def rows_between(self, low: int | None, high: int | None, why: str):
        return self.expect("row_count", "ExpectTableRowCountToBeBetween", why, min_value=low, max_value=high)

    def distinct_equal(self, column: str, values, why: str, short: str | None = None):
        vs = values if isinstance(values, Lookup) else sorted(set(values), key=str)
        return self.expect(short or f"{column}.distinct_values", "ExpectColumnDistinctValuesToEqualSet", why,
                           column=column, value_set=vs)

    def year(self, column: str = "year", why: str | None = None, today: dt.date | None = None):
        """A calendar year of the General Assembly: 1946 to the current year."""
        this_year = (today or dt.date.today()).year
        return self.between(column, FIRST_YEAR, this_year,
                            why or f"{column} is a calendar year of the General Assembly: {FIRST_YEAR} "
                                   "(its first resolutions) to the current year.")

    def counts(self, *columns: str, low: int = 0, why: str | None = None):
        for c in columns:
            self.between(c, low, None, why or f"{c} is a count: a whole number of rows, never negative.",
                         short=f"{c}.count" if low == 0 else f"{c}.at_least_{low}")
        return self

    def shares(self, *columns: str, why: str | None = None):
        for c in columns:
            self.between(c, 0, 1, why or f"{c} is a share: a fraction between 0 and 1 (codebook conventions), "
                                         "not a percentage.", short=f"{c}.share")
        return self


def _suffix(when: When | None) -> str:
    if when is None:
        return ""
    value = when.value
    if isinstance(value, (list, tuple)):
        value = "+".join(map(str, value))
    op = {"==": "", "!=": "not_", "in": "", "not in": "not_", "is null": "no_", "is not null": "with_"}[when.op]
    tail = "" if value is None else f"_{value}"
    return f".when_{op}{when.column}{tail}".replace(" ", "_")


class SuiteBuilder:
    """What a suite function receives: the codebook, the date, and places to add
    expectations (``table``) and cross-table rules (``rule``)."""

    def __init__(self, suite: "SuiteDef", codebook: dict, today: dt.date, extra_specs: Mapping[str, dict]):
        self.suite = suite
        self.codebook = codebook
        self.today = today
        self._extra_specs = extra_specs
        self._names: set[str] = set()
        self.frames: dict[str, Frame] = {}
        self.rules_frame = Frame("rules")

    def spec(self, table: str) -> dict | None:
        """The codebook entry of a table (or the hand-written spec of a raw table)."""
        return self.codebook["tables"].get(table) or self._extra_specs.get(table)

    def table(self, name: str) -> TableBuilder:
        if name not in self.frames:
            self.frames[name] = Frame(name, table=name)
        return TableBuilder(self.frames[name], self._names)

    def rule(self, name: str, *, description: str | None = None, sql: str | None = None,
             check: str | None = None) -> "SuiteBuilder":
        """Add a cross-table rule: from expectations/sql/<name>.sql by default, from a
        warehouse check with ``check=``, or given as ``sql``."""
        if check is not None:
            rule = Rule.from_check(check, description or "")
            rule = Rule(name, rule.description, rule.sql)
        elif sql is not None:
            rule = Rule(name, description or "", sql)
        else:
            rule = Rule.from_file(name)
            if description:
                rule = Rule(name, description, rule.sql)
        full = f"rules.{name}"
        if full in self._names:
            raise ValueError(f"two rules named {name!r}")
        self._names.add(full)
        self.rules_frame.rules.append(rule)
        self.rules_frame.expectations.append(
            Expect(full, "ExpectColumnValuesToBeNull", {"column": name}, " ".join(rule.description.split())))
        return self

    def frames_in_order(self) -> list[Frame]:
        out = []
        if self.suite.tables:
            out.append(_codebook_frame(self))
        out += list(self.frames.values())
        if self.rules_frame.rules:
            out.append(self.rules_frame)
        return out


def _codebook_frame(b: SuiteBuilder) -> Frame:
    """The suite's codebook frame: one row per column of its tables as DuckDB's catalogue
    lists them, with the null rows of each documented never-null column (counted in DuckDB),
    and three expectations for all the suite's tables at once (a few expectations over one
    frame rather than hundreds over every column: GE spends ~7 ms per expectation)."""
    documented, required, never_null = [], [], {}
    for table in b.suite.tables:
        spec = b.spec(table)
        if spec is None:
            raise KeyError(f"suite {b.suite.name}: no codebook entry (nor raw spec) for {table}")
        for c, col in spec["columns"].items():
            documented.append(f"{table}.{c} {col['type']}")
            if not col.get("optional"):
                required.append(f"{table}.{c}")
            if "nulls" not in col and not col.get("optional"):
                never_null.setdefault(table, []).append(c)
    frame = Frame("codebook", catalogue_of=tuple(b.suite.tables), never_null=never_null)
    sources = sorted({_source(b, t) for t in b.suite.tables})
    src = " and ".join(sources)
    frame.expectations += [
        Expect("codebook.columns_documented", "ExpectColumnValuesToBeInSet",
               {"column": "column_type", "value_set": documented},
               f"Every column of the suite's tables is documented, with the type DuckDB reports "
               f"(\"schema.table.column TYPE\"; the unexpected values are undocumented or retyped columns). "
               f"Generated from {src}."),
        Expect("codebook.columns_present", "ExpectColumnDistinctValuesToContainSet",
               {"column": "table_column", "value_set": required},
               f"Every column {src} documents for the suite's tables is there (a missing table misses them "
               f"all; the missing ones are listed)."),
        Expect("codebook.no_undocumented_nulls", "ExpectColumnValuesToBeNull",
               {"column": "null_rows"},
               f"A column is null only where {src} says when (its 'nulls' note): every other documented "
               f"column has no null row (the unexpected values name the column and count its null rows; "
               f"key columns are also checked one by one). Counted in DuckDB."),
    ]
    return frame


def _source(b: SuiteBuilder, table: str) -> str:
    return "warehouse/codebook.yaml" if table in b.codebook["tables"] else "the raw layer's DDL (warehouse/sql/ddl/010_raw.sql)"


def codebook_expectations(tb: TableBuilder, spec: dict, source: str = "codebook") -> None:
    """The per-column expectations a table's documentation implies, added to its frame:
    allowed values for each code column, uniqueness and not-null for the key."""
    table = tb.table
    for column, col in spec["columns"].items():
        if col.get("values") and not col["type"].endswith("[]"):
            tb.expect(f"{column}.in_codebook_values", "ExpectColumnValuesToBeInSet",
                      f"{table}.{column} is a code: one of the values the {source} lists.",
                      column=column, value_set=list(col["values"]))
    key = spec.get("key") or []
    if key:
        why = f"The {source} gives ({', '.join(key)}) as the key of {table}: one row per key."
        if len(key) == 1:
            tb.expect(f"{key[0]}.unique", "ExpectColumnValuesToBeUnique", why, column=key[0])
        else:
            tb.expect(f"({','.join(key)}).unique", "ExpectCompoundColumnsToBeUnique", why, column_list=list(key))
        for k in key:
            tb.expect(f"{k}.not_null", "ExpectColumnValuesToNotBeNull", f"{k} is (part of) the key of {table}.",
                      column=k)


# ------------------------------------------------------------------------------ suites

@dataclass(frozen=True)
class SuiteDef:
    """A suite as declared: cheap to import and list (no GE, no database)."""

    name: str
    blocking: bool
    description: str
    tables: tuple[str, ...]
    # The suite is skipped (reported as skipped, not failed) when none of these tables
    # exists: the raw layer and ops exist only in the working warehouse and the snapshot
    # respectively (marts.paragraph_search: in both since it is built per session, issue 18).
    requires: tuple[str, ...] = ()
    add: Callable[[SuiteBuilder], None] | None = None
    generate: bool = True  # add the codebook's expectations for each table

    def build(self, codebook: dict, today: dt.date | None = None,
              extra_specs: Mapping[str, dict] | None = None) -> list[Frame]:
        """The suite's frames with their expectations (codebook-generated, then hand-written)."""
        b = SuiteBuilder(self, codebook, today or dt.date.today(), extra_specs or {})
        if self.generate:
            for table in self.tables:
                spec = b.spec(table)
                if spec is None:
                    raise KeyError(f"suite {self.name}: no codebook entry (nor raw spec) for {table}")
                source = "codebook" if table in codebook["tables"] else "raw layer's DDL"
                codebook_expectations(b.table(table), spec, source)
        if self.add is not None:
            self.add(b)
        return b.frames_in_order()
