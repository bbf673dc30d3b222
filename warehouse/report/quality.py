"""The quality report's data: the completeness tables and the report's sections (issue 6).

``completeness(con)`` reconciles each session against DGACM's metadata: which
symbols are in the XML, in the metadata, in both; which XML documents were
superseded by reissues; which documents are byte-identical duplicates; which text
versions duplicate an XML resolution; which files were rejected. It is a table and
a report, never a blocking failure; warehouse/publish.py writes it into the snapshot
(ops.completeness, ops.completeness_detail). The SQL is ``warehouse/sql/quality/``.

``gather(...)`` reads the working warehouse and the run's results into a document
model (sections of paragraphs, tables, lists and links) that warehouse/report/render.py
renders twice, as Markdown and as HTML. Nothing here formats for either.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from warehouse import db
from warehouse.pipeline import WARNING_CHECKS, run_check

# Completeness categories, in the order the report shows them, with their labels.
CATEGORIES = {
    "both": "in the XML and the metadata",
    "xml_only": "in the XML only",
    "metadata_only": "in the metadata only",
    "superseded_by_reissue": "XML superseded by a reissue or later publication",
    "duplicate": "byte-identical duplicates",
    "text_duplicating_xml": "text versions duplicating an XML resolution",
    "text_only": "text versions without XML",
    "rejected": "rejected files",
}
# Summary list column behind each category that has one.
_LISTS = {
    "xml_only": "xml_only_symbols",
    "metadata_only": "metadata_only_symbols",
    "superseded_by_reissue": "superseded_symbols",
    "duplicate": "duplicate_symbols",
    "text_duplicating_xml": "text_duplicating_xml_symbols",
    "text_only": "text_only_symbols",
    "rejected": "rejected_documents",
}


# -- completeness ------------------------------------------------------------------------
def completeness(con: duckdb.DuckDBPyConnection) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(summary per session, detail per symbol and category) from the working warehouse.

    Read-only: it runs on a read-only connection too.
    """
    detail = db.query_file(con, "quality/completeness_detail.sql")
    name = f"completeness_detail_{uuid.uuid4().hex[:8]}"
    con.register(name, detail.to_arrow())
    try:
        text = db.sql_text("quality/completeness.sql").replace("FROM completeness_detail", f"FROM {name}")
        summary = con.execute(text).pl()
    finally:
        con.unregister(name)
    return summary, detail


# -- the document model: sections of paragraphs, tables and lists, rendered twice (render.py)
@dataclass
class Table:
    columns: list[str]
    rows: list[list]
    md_width: int = 40          # cells longer than this are cut in the Markdown
    md_max_rows: int | None = None
    md_widths: dict[int, int] = field(default_factory=dict)  # per-column overrides of md_width
    numeric: set[int] = field(default_factory=set)  # right-aligned columns


@dataclass
class Items:
    label: str
    items: list[str]
    md_limit: int = 25


@dataclass
class Para:
    text: str
    status: str | None = None   # pass | fail | warn: a coloured badge before the text in HTML


@dataclass
class Link:
    label: str
    path: Path


@dataclass
class Section:
    anchor: str
    title: str
    blocks: list = field(default_factory=list)


def gather(con: duckdb.DuckDBPyConnection, *, run: dict, checks: dict[str, pl.DataFrame],
           suites: pl.DataFrame | None, data_docs: Path | None, now: dt.datetime) -> list[Section]:
    """The report's sections, read from the working warehouse and the run's results."""
    checks = _with_warning_checks(con, checks)
    return [
        _run_section(run, checks, suites, now),
        _counts_section(con),
        _completeness_section(con),
        _rejected_section(con),
        _held_back_section(con),
        _checks_section(checks),
        _suites_section(suites, data_docs),
        _reconciliation_section(con),
        _themes_section(con),
        _metadata_section(con),
    ]


def _with_warning_checks(con, checks: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The checks given, plus the warning checks the build did not run (they only read)."""
    out = dict(checks)
    for name in WARNING_CHECKS:
        if name not in out:
            try:
                out[name] = run_check(con, name)
            except duckdb.Error:
                continue
    return out


def _is_warning(name: str) -> bool:
    return name in WARNING_CHECKS


# -- sections ----------------------------------------------------------------------------
def _run_section(run: dict, checks: dict[str, pl.DataFrame], suites: pl.DataFrame | None,
                 now: dt.datetime) -> Section:
    status = str(run.get("status", "unknown"))
    sessions = run.get("sessions") or []
    blocking_failed = [n for n, f in checks.items() if f.height and not _is_warning(n)]
    warnings = [n for n, f in checks.items() if f.height and _is_warning(n)]
    rows = [
        ["status", status],
        ["finished", f"{run.get('finished_at') or now.strftime('%Y-%m-%dT%H:%M:%S')} UTC"],
        ["duration", f"{run['seconds']} s" if run.get("seconds") is not None else "-"],
        ["sessions", (", ".join(map(str, sessions)) if isinstance(sessions, (list, tuple)) else str(sessions))
         or "-"],
        ["run by", str(run.get("via") or "-")],
        ["blocking checks", "not run" if not checks else
         "all passed" if not blocking_failed else "failed: " + ", ".join(blocking_failed)],
        ["warnings", ", ".join(warnings) or "none"],
        ["quarantined", _count_or_none(run.get("quarantined"), "file(s) or document(s) not loaded")],
        ["held back", _count_or_none(run.get("held_back"), "resolution(s) left out for breaking a rule")],
        ["expectation suites", _suites_verdict(suites)],
    ]
    if run.get("systemic"):
        rows.append(["systemic failure", "; ".join(run["systemic"])])
    if run.get("tables"):
        rows.append(["tables published", str(len(run["tables"]))])
    badge = "pass" if status == "published" else "fail"
    attention = [f"{n} {what}" for n, what in ((run.get("quarantined") or 0, "file(s) quarantined"),
                                                 (run.get("held_back") or 0, "resolution(s) held back"))
                 if n]
    rest = "Everything else was published." if status == "published" else "No snapshot was published."
    notes = [Para(f"Needs attention: {' and '.join(attention)} (see below). {rest}", "warn")] if attention else []
    return Section("run", "Run", [
        *notes,
        Para(("The snapshot was already up to date: nothing it is made from changed since it was published "
              f"at {run['snapshot_published_at']}, so it was kept as it was (the suites' results below are "
              "from that publication)." if run.get("snapshot") == "unchanged" else
              "The run published a new snapshot.") if status == "published" else
             f"The run ended {status}: no new snapshot was published; the last good one stays.", badge),
        Table(["", "value"], rows, md_width=70),
    ])


def _count_or_none(n, what: str) -> str:
    return f"{n} {what}" if n else "none"


def _held_back_section(con) -> Section:
    held = db.query_file(con, "quality/held_back.sql")
    if held.height == 0:
        return Section("held_back", "Resolutions held back",
                       [Para("No resolution broke a rule: every loaded resolution is published.", "pass")])
    rows = [[r["session"], r["symbol"], r["rule"], r["failing_rows"], "; ".join(r["sample"][:2]), r["reason"]]
            for r in held.iter_rows(named=True)]
    return Section("held_back", "Resolutions held back", [
        Para(f"{held['symbol'].n_unique()} resolution(s) broke a blocking rule whose failing rows name them, so "
             "they were left out of every published table (ops.held_back) and the rest was published. Each "
             "comes back by itself on the first build after its file, the parser or the rule changes.", "warn"),
        Table(["session", "symbol", "rule", "rows", "sample", "reason"], rows, numeric={3}, md_width=50),
    ])


def _suites_verdict(suites: pl.DataFrame | None) -> str:
    if suites is None:
        return "not run"
    if suites.height == 0:
        return "no expectations"
    failed = suites.filter(~pl.col("success").fill_null(False))
    if failed.height == 0:
        return f"all {suites.height} expectations passed"
    blocking = failed.filter(pl.col("blocking").fill_null(False)).height if "blocking" in failed.columns else 0
    return f"{failed.height} of {suites.height} expectations failed ({blocking} blocking)"


def _counts_section(con) -> Section:
    counts = db.query_file(con, "quality/counts_by_session.sql")
    cols = ["session", "resolutions", "from_text", "preambular", "operative", "annex", "footnotes",
            "citations", "mandates"]
    headers = ["session", "resolutions", "from text", "preamb.", "operative", "annex", "footnotes",
               "citations", "mandates"]
    rows = [[r[c] for c in cols] for r in counts.iter_rows(named=True)]
    if rows:
        rows.append(["total", *[sum(r[i] for r in rows) for i in range(1, len(cols))]])
    return Section("counts", "Counts per session", [
        Para("Resolutions in core (from text: loaded from a text version, no XML), paragraphs by kind, "
             "footnotes, citations (undocs.org links) and mandates (marts.mandates)."),
        Table(headers, rows, numeric=set(range(1, len(cols)))),
    ])


def _completeness_section(con) -> Section:
    summary, _ = completeness(con)
    label = lambda s: "none" if s is None else str(s)  # noqa: E731
    coverage = [[label(r["session"]), r["xml_resolutions"], r["metadata_resolutions"], r["in_both"],
                 r["xml_only"], r["metadata_only"]] for r in summary.iter_rows(named=True)]
    documents = [[label(r["session"]), r["superseded_by_reissue"], r["duplicates"], r["text_versions"],
                  r["text_duplicating_xml"], r["rejected_files"]] for r in summary.iter_rows(named=True)]
    blocks: list = [
        Para("Each session's resolutions (symbols) in the official XML against DGACM's metadata "
             "extracts, and the documents that did not reach core as they are: superseded XML, "
             "byte-identical duplicates, text versions, rejected files. This is information, never "
             "a blocking failure (ops.completeness, ops.completeness_detail)."),
        Table(["session", "XML", "metadata", "both", "XML only", "metadata only"], coverage,
              numeric={1, 2, 3, 4, 5}),
        Table(["session", "superseded", "duplicates", "text versions", "text = XML", "rejected"], documents,
              numeric={1, 2, 3, 4, 5}),
    ]
    for r in summary.iter_rows(named=True):
        for category, column in _LISTS.items():
            items = r[column] or []
            if items:
                where = f"session {r['session']}" if r["session"] is not None else "no session"
                blocks.append(Items(f"{where}, {CATEGORIES[category]} ({len(items)})", list(items)))
    if summary.height == 0:
        blocks.append(Para("No session is loaded.", "warn"))
    elif len(blocks) == 3:
        blocks.append(Para("Every symbol is in both the XML and the metadata; nothing superseded, "
                           "duplicated or rejected.", "pass"))
    return Section("completeness", "Completeness against DGACM's metadata", blocks)


def _rejected_section(con) -> Section:
    rejected = db.query_file(con, "quality/rejected.sql")
    if rejected.height == 0:
        return Section("rejected", "Rejected files", [Para("No file was rejected.", "pass")])
    rows = [["none" if r["session"] is None else r["session"], r["stage"],
             r["source_path"] + (f"!{r['member']}" if r["member"] else ""), r["reason"]]
            for r in rejected.iter_rows(named=True)]
    return Section("rejected", "Rejected files", [
        Para(f"{rejected.height} file(s) or archive member(s) quarantined in raw.rejected (ops.rejected); "
             "the rest of the run went on without them.", "warn"),
        Table(["session", "stage", "file", "reason"], rows, md_width=60, md_widths={2: 44}),
    ])


def _checks_section(checks: dict[str, pl.DataFrame]) -> Section:
    if not checks:
        return Section("checks", "Structural checks", [Para("No check results were given.", "warn")])
    rows = []
    for name, frame in checks.items():
        kind = "warning" if _is_warning(name) else "blocking"
        verdict = "passed" if frame.height == 0 else ("warned" if kind == "warning" else "FAILED")
        rows.append([name, kind, frame.height, verdict])
    blocks: list = [
        Para("Invariants checked before publishing (warehouse/sql/checks). A blocking check with "
             "violations stops the snapshot from being published; a warning only reports."),
        Table(["check", "kind", "violations", "result"], rows, numeric={2}),
    ]
    for name, frame in checks.items():
        if frame.height:
            sample = frame.head(5)
            blocks.append(Para(f"{name}: {frame.height} violation(s)"
                               + (", the first 5:" if frame.height > 5 else ":"),
                               "warn" if _is_warning(name) else "fail"))
            blocks.append(Table(list(sample.columns), [list(r) for r in sample.iter_rows()], md_width=40,
                                numeric={i for i, t in enumerate(sample.dtypes) if t.is_numeric()}))
    return Section("checks", "Structural checks", blocks)


def _suites_section(suites: pl.DataFrame | None, data_docs: Path | None) -> Section:
    blocks: list = []
    if suites is None:
        blocks.append(Para("Great Expectations suites: not run.", "warn"))
    elif suites.height == 0:
        blocks.append(Para("Great Expectations suites ran with no expectations.", "warn"))
    else:
        frame = suites.with_columns(
            pl.col("success").fill_null(False),
            (pl.col("blocking").fill_null(False) if "blocking" in suites.columns else pl.lit(False)).alias("blocking"),
        )
        per_suite = (frame.group_by("suite", maintain_order=True)
                     .agg(pl.len().alias("expectations"),
                          (~pl.col("success")).sum().alias("failed"),
                          ((~pl.col("success")) & pl.col("blocking")).sum().alias("blocking_failed"))
                     .sort("suite"))
        rows = [[r["suite"], r["expectations"], r["failed"], r["blocking_failed"],
                 "passed" if r["failed"] == 0 else ("FAILED" if r["blocking_failed"] else "warned")]
                for r in per_suite.iter_rows(named=True)]
        blocks.append(Para(_suites_verdict(suites) + ".",
                           "pass" if all(r[2] == 0 for r in rows) else
                           ("fail" if any(r[3] for r in rows) else "warn")))
        blocks.append(Table(["suite", "expectations", "failed", "blocking failed", "result"], rows,
                            numeric={1, 2, 3}))
        failed = frame.filter(~pl.col("success"))
        if failed.height:
            cols = [c for c in ("suite", "expectation", "column", "unexpected_count", "blocking")
                    if c in failed.columns]
            blocks.append(Para("Failed expectations:"))
            blocks.append(Table(cols, [list(r) for r in failed.select(cols).iter_rows()], md_width=40,
                                numeric={cols.index("unexpected_count")} if "unexpected_count" in cols else set()))
    if data_docs is not None:
        blocks.append(Link("Data Docs", Path(data_docs)))
    return Section("suites", "Expectation suites", blocks)


def _fmt(value, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _reconciliation_section(con) -> Section:
    recon = db.query_file(con, "quality/text_reconciliation.sql")
    if recon.height == 0:
        return Section("reconciliation", "Text versions against the XML", [
            Para("No resolution arrived both as XML and as text: nothing to reconcile.")])
    rows = [[r["symbol"], r["text_source"], f"{r['paragraphs_same']}/{r['paragraphs_xml']}",
             _fmt(r["agreement"]), f"{r['footnotes_same']}/{r['footnotes_xml']}",
             "yes" if r["passed"] else "NO", r["reasons"] or "-"]
            for r in recon.iter_rows(named=True)]
    failed = recon.filter(~pl.col("passed")).height
    blocks: list = [
        Para(f"{recon.height} text version(s) compared with the XML of the same symbol; "
             f"{recon.height - failed} within the thresholds of transforms/reconcile.py, {failed} not. "
             "The XML is what is published.", "pass" if failed == 0 else "warn"),
        Table(["symbol", "text file", "paragraphs same", "agreement", "footnotes same", "passed", "reasons"],
              rows, md_width=36),
    ]
    diffs = db.query_file(con, "quality/text_differences.sql", {"limit": 10})
    if diffs.height:
        drows = []
        for r in diffs.iter_rows(named=True):
            what = r["diff"]
            if not what and r["lead_phrase_match"] is False:
                what = f"lead phrase: XML {r['xml_lead_phrase']!r}, text {r['text_lead_phrase']!r}"
            if not what and r["number_match"] is False:
                what = f"number: XML {r['xml_number']!r}, text {r['text_number']!r}"
            drows.append([r["symbol"], r["kind"], _fmt(r["xml_ordinal"]), _fmt(r["text_ordinal"]), r["status"],
                          _fmt(r["similarity"]), what or "-"])
        blocks.append(Para("The paragraphs that differ most (missing and extra first, then the least similar):"))
        blocks.append(Table(["symbol", "kind", "XML #", "text #", "status", "similarity", "difference"], drows,
                            md_width=60, numeric={2, 3, 5}))
    return Section("reconciliation", "Text versions against the XML", blocks)


def _themes_section(con) -> Section:
    coverage = db.query_file(con, "quality/theme_coverage.sql")
    share = db.query_file(con, "quality/theme_share.sql")
    years = sorted(y for y in share["year"].to_list() if y is not None)
    totals = {}
    per_year: dict[tuple[str, int], int] = {}
    order: list[str] = []
    parent: dict[str, str | None] = {}
    for r in coverage.iter_rows(named=True):
        if r["theme"] not in parent:
            order.append(r["theme"])
            parent[r["theme"]] = r["parent"]
        if r["year"] is None:
            totals[r["theme"]] = (r["paragraphs"], r["resolutions"])
        else:
            per_year[(r["theme"], r["year"])] = r["resolutions"]
    rows = []
    for theme in order:
        paragraphs, resolutions = totals.get(theme, (0, 0))
        name = f"· {theme}" if parent[theme] else theme
        rows.append([name, paragraphs, resolutions, *[per_year.get((theme, y), 0) for y in years]])
    overall = share.filter(pl.col("year").is_null())
    blocks: list = []
    if overall.height and overall["resolutions"][0]:
        o = overall.row(0, named=True)
        blocks.append(Para(f"{o['with_theme']} of {o['resolutions']} resolutions ({o['share']:.1%}) have at "
                           "least one paragraph tagged with a theme."))
    blocks.append(Para("Paragraphs and resolutions tagged per theme (· a sub-theme, also counted under its "
                       "parent), then resolutions tagged per year of adoption:"))
    blocks.append(Table(["theme", "paragraphs", "resolutions", *map(str, years)], rows,
                        md_width=28, numeric=set(range(1, 3 + len(years)))))
    srows = [[str(r["year"]) if r["year"] is not None else "all", r["resolutions"], r["with_theme"],
              f"{r['share']:.1%}" if r["share"] is not None else "-"] for r in share.iter_rows(named=True)]
    blocks.append(Table(["year", "resolutions", "with a theme", "share"], srows, numeric={1, 2, 3}))
    return Section("themes", "Theme coverage", blocks)


def _metadata_section(con) -> Section:
    problems = db.query_file(con, "quality/metadata_problems.sql")
    if problems.height == 0:
        return Section("metadata", "Metadata problems", [Para("DGACM's metadata extracts read without a problem.",
                                                              "pass")])
    rows = [[r["session"], r["problem"], r["lines"], ", ".join((r["symbols"] or [])[:5])
             + (" …" if len(r["symbols"] or []) > 5 else ""), r["example"]]
            for r in problems.iter_rows(named=True)]
    return Section("metadata", "Metadata problems", [
        Para(f"{int(problems['lines'].sum())} line(s) of DGACM's metadata extracts did not become a row, or "
             "not fully (staging.metadata_problem, ops.metadata_problem), by kind of problem:", "warn"),
        Table(["session", "problem", "lines", "symbols", "example"], rows, md_width=44, numeric={2}),
    ])
