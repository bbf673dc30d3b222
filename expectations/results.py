"""What a run of the suites returns: each expectation's and suite's outcome, and the whole
:class:`SuitesResult` (with its ``ops.suite_result`` frame), and the resolutions a failure's
rows name (:func:`rows_by_symbol`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
import polars as pl

from .suites import SUITE_NAMES, get_suite


SAMPLE_SIZE = 5  # unexpected values kept per failed expectation


FRAME_SCHEMA = {
    "suite": pl.Utf8,
    "expectation": pl.Utf8,
    "column": pl.Utf8,
    "success": pl.Boolean,
    "unexpected_count": pl.Int64,
    "blocking": pl.Boolean,
}
DETAIL_SCHEMA = {
    **FRAME_SCHEMA,
    "table": pl.Utf8,
    "expectation_type": pl.Utf8,
    "description": pl.Utf8,
    "unexpected_sample": pl.List(pl.Utf8),
    "error": pl.Utf8,
}


# ----------------------------------------------------------------------------- results

@dataclass
class ExpectationOutcome:
    """One expectation's result."""

    suite: str
    name: str                    # stable id, e.g. "core.fact_paragraph.kind.in_codebook_values"
    table: str                   # the frame: a table, "schema" or "rules"
    column: str | None
    expectation_type: str        # GE's snake_case type, e.g. "expect_column_values_to_be_in_set"
    description: str             # why the expectation holds
    success: bool
    unexpected_count: int | None  # rows (or values) that broke it; None when not a count
    unexpected_sample: list[str]  # up to SAMPLE_SIZE offending values, as text
    error: str | None = None      # when it could not be evaluated (missing table, column, bad SQL)
    # The resolutions the failing rows belong to: symbol -> (rows, a few of them as text).
    # None when the failure cannot be pinned on resolutions (a table without a symbol, a
    # row-count or schema expectation, a rule row whose symbol is null): such a failure is
    # systemic and blocks the snapshot; a failure naming resolutions holds them back.
    by_symbol: dict[str, tuple[int, list[str]]] | None = None

    def short(self) -> str:
        """One line: the name, the count and a few offending values."""
        what = self.error or (f"{self.unexpected_count} unexpected" if self.unexpected_count is not None else "failed")
        sample = f": {' | '.join(self.unexpected_sample[:3])}" if self.unexpected_sample and not self.error else ""
        return f"{self.name} ({what}{sample})"


@dataclass
class SuiteOutcome:
    """One suite's result."""

    name: str
    blocking: bool
    description: str
    skipped: bool
    skip_reason: str | None
    success: bool | None          # None when skipped
    evaluated: int
    successful: int
    unsuccessful: int
    seconds: float
    expectations: list[ExpectationOutcome] = field(default_factory=list)
    data_docs_pages: list[Path] = field(default_factory=list)  # GE's validation pages, one per frame

    @property
    def failures(self) -> list[ExpectationOutcome]:
        """The failed expectations, each with its description and a sample of unexpected values."""
        return [e for e in self.expectations if not e.success]

    def to_dict(self) -> dict:
        """JSON-ready (for asset check metadata or a report)."""
        out = asdict(self)
        out["expectations"] = [asdict(e) for e in self.failures]  # failures only: keep it small
        out["data_docs_pages"] = [str(p) for p in self.data_docs_pages]
        return out


@dataclass
class SuitesResult:
    """The result of :func:`run_suites`."""

    suites: list[SuiteOutcome]
    seconds: float
    database: str
    run_time: dt.datetime
    data_docs_index: Path | None = None  # data_docs_dir/index.html (works offline)
    gx_index: Path | None = None          # GE's own index.html (needs its CDN assets to list anything)

    @property
    def success(self) -> bool:
        """True when no blocking suite failed (skipped suites do not fail)."""
        return not self.blocking_failures

    @property
    def blocking_failures(self) -> list[str]:
        """Names of the blocking suites that failed: publication must stop when not empty."""
        return [s.name for s in self.suites if s.blocking and s.success is False]

    @property
    def warning_failures(self) -> list[str]:
        return [s.name for s in self.suites if not s.blocking and s.success is False]

    @property
    def skipped(self) -> list[str]:
        return [s.name for s in self.suites if s.skipped]

    def suite(self, name: str) -> SuiteOutcome:
        for s in self.suites:
            if s.name == name:
                return s
        raise KeyError(f"no suite {name!r} in this result")

    def failures(self, blocking_only: bool = False) -> list[ExpectationOutcome]:
        return [e for s in self.suites if (s.blocking or not blocking_only) for e in s.failures]

    def to_frame(self, details: bool = False) -> pl.DataFrame:
        """One row per evaluated expectation: suite, expectation, column, success,
        unexpected_count, blocking (the columns of ops.suite_result). ``details=True`` adds
        table, expectation_type, description, unexpected_sample and error. Skipped suites
        have no rows (see :attr:`skipped`)."""
        rows = []
        for s in self.suites:
            for e in s.expectations:
                row = {"suite": s.name, "expectation": e.name, "column": e.column, "success": e.success,
                       "unexpected_count": e.unexpected_count, "blocking": s.blocking}
                if details:
                    row.update(table=e.table, expectation_type=e.expectation_type, description=e.description,
                               unexpected_sample=list(e.unexpected_sample), error=e.error)
                rows.append(row)
        return pl.DataFrame(rows, schema=DETAIL_SCHEMA if details else FRAME_SCHEMA, orient="row")

    @classmethod
    def from_frame(cls, frame: pl.DataFrame, database: str, run_time: dt.datetime) -> "SuitesResult":
        """Rebuild a result from its ops.suite_result rows (as :meth:`to_frame` wrote them).

        Used when a snapshot is kept because nothing changed: its checks report the
        results of the validation that published it. Descriptions come from the suites;
        samples, errors and timings were not stored and are empty.
        """
        outcomes = []
        for name in SUITE_NAMES:
            rows = frame.filter(pl.col("suite") == name)
            suite = get_suite(name)
            if rows.height == 0:
                outcomes.append(SuiteOutcome(name, suite.blocking, suite.description, True,
                                             "skipped when the snapshot was published", None, 0, 0, 0, 0.0))
                continue
            expectations = [ExpectationOutcome(name, r["expectation"], "", r["column"], "", "", bool(r["success"]),
                                               r["unexpected_count"], [])
                            for r in rows.iter_rows(named=True)]
            ok = sum(e.success for e in expectations)
            outcomes.append(SuiteOutcome(name, suite.blocking, suite.description, False, None,
                                         ok == len(expectations), len(expectations), ok, len(expectations) - ok,
                                         0.0, expectations))
        return cls(outcomes, 0.0, database, run_time)

    def summary(self) -> str:
        """A few lines for a log: each suite's status, then the failed expectations."""
        lines = []
        for s in self.suites:
            if s.skipped:
                lines.append(f"{s.name}: skipped ({s.skip_reason})")
                continue
            status = "passed" if s.success else ("FAILED" if s.blocking else "failed (warning only)")
            lines.append(f"{s.name}: {status}, {s.successful}/{s.evaluated} expectations, {s.seconds:.2f}s")
            lines += [f"  - {e.short()}" for e in s.failures]
        return "\n".join(lines)


def rows_by_symbol(symbols: list | None, texts: list[str]) -> dict[str, tuple[int, list[str]]] | None:
    """symbol -> (failing rows, the first SAMPLE_SIZE as text); None unless every row names one.

    A rule's rows name a resolution through a column called ``symbol``. One row without a
    symbol (a key shared by two resolutions, an aggregate that does not add up) makes the
    whole failure systemic: holding back some resolutions would not explain it.
    """
    if symbols is None or not symbols or any(s is None for s in symbols):
        return None
    out: dict[str, tuple[int, list[str]]] = {}
    for symbol, text in zip(symbols, texts):
        count, sample = out.get(symbol, (0, []))
        out[symbol] = (count + 1, sample + [text] if len(sample) < SAMPLE_SIZE else sample)
    return out


def _text(value) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT:
        return "null"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)
