"""The quality report written with every run, and the completeness tables (issue 6).

``completeness(con)`` reconciles each session against DGACM's metadata: which
symbols are in the XML, in the metadata, in both; which XML documents were
superseded by reissues; which documents are byte-identical duplicates; which text
versions duplicate an XML resolution; which files were rejected. It is a table and
a report, never a blocking failure. The SQL is ``warehouse/sql/quality/``.

``write_report(...)`` writes ``<reports>/<UTC timestamp>/quality.md`` (for the
terminal: narrow tables, long text cut) and ``quality.html`` (self-contained: inline
CSS, no script, no network), points ``<reports>/latest`` at it and keeps the last
``keep`` reports. Everything in the report that comes from the data (resolution
text, file names, reasons) is untrusted: the HTML escapes all of it, the Markdown
drops control characters (a terminal would act on escape sequences).

Both read the *working* warehouse (raw, staging, core, marts), so they run inside
the build, on the connection the build holds, before it is closed.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import shutil
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from warehouse import db
from warehouse.pipeline import WARNING_CHECKS, run_check

REPORT_MD = "quality.md"
REPORT_HTML = "quality.html"
LATEST = "latest"              # a symlink to the newest report's folder
LATEST_POINTER = "latest.txt"  # the same as a one-line file where symlinks are not available
KEEP = 20
_STAMP = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

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


# -- where reports live ------------------------------------------------------------------
@dataclass(frozen=True)
class ReportPaths:
    directory: Path
    markdown: Path
    html: Path
    latest: Path

    @classmethod
    def at(cls, directory: Path) -> ReportPaths:
        return cls(directory, directory / REPORT_MD, directory / REPORT_HTML, directory.parent / LATEST)


def latest_report(reports_dir: Path) -> ReportPaths | None:
    """The newest report under reports_dir, or None when none was written yet."""
    reports_dir = Path(reports_dir)
    candidates = []
    # The pointer file exists only when the last report could not swap the symlink (it is
    # removed whenever the symlink is written), so it is the newer of the two.
    pointer = reports_dir / LATEST_POINTER
    if pointer.is_file():
        candidates.append(reports_dir / pointer.read_text(encoding="utf-8").strip())
    link = reports_dir / LATEST
    if link.is_symlink() or link.is_dir():
        candidates.append(link.resolve())
    candidates += sorted(_report_dirs(reports_dir), reverse=True)
    for directory in candidates:
        if (directory / REPORT_MD).is_file():
            return ReportPaths.at(directory)
    return None


def _report_dirs(reports_dir: Path) -> list[Path]:
    if not reports_dir.is_dir():
        return []
    return sorted(p for p in reports_dir.iterdir() if p.is_dir() and not p.is_symlink() and _STAMP.match(p.name))


def _point_latest(reports_dir: Path, name: str) -> None:
    """Swap reports_dir/latest to the folder `name` in one rename (or write latest.txt)."""
    link = reports_dir / LATEST
    tmp = reports_dir / f".{LATEST}.{uuid.uuid4().hex[:8]}"
    if link.is_dir() and not link.is_symlink():
        shutil.rmtree(link, ignore_errors=True)  # a copy of the folder (a data dir copied without links)
    try:
        os.symlink(name, tmp, target_is_directory=True)
        os.replace(tmp, link)
    except OSError:
        tmp.unlink(missing_ok=True)
        pointer_tmp = reports_dir / f".{LATEST_POINTER}.{uuid.uuid4().hex[:8]}"
        pointer_tmp.write_text(name + "\n", encoding="utf-8")
        os.replace(pointer_tmp, reports_dir / LATEST_POINTER)
        if link.is_symlink():
            link.unlink(missing_ok=True)
        return
    (reports_dir / LATEST_POINTER).unlink(missing_ok=True)


def _prune(reports_dir: Path, keep: int, current: Path) -> None:
    old = [p for p in _report_dirs(reports_dir) if p != current]
    for directory in old[: max(0, len(old) - (keep - 1))]:
        shutil.rmtree(directory, ignore_errors=True)


# -- the document model: sections of paragraphs, tables and lists, rendered twice ----------
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


def write_report(con: duckdb.DuckDBPyConnection, reports_dir: Path, *, run: dict,
                 checks: dict[str, pl.DataFrame], suites: pl.DataFrame | None = None,
                 data_docs: Path | None = None, keep: int = KEEP,
                 now: dt.datetime | None = None) -> ReportPaths:
    """Write the quality report of a run and make it the latest; return where it is.

    con: the working warehouse (read only is enough); run: the build summary
    (warehouse.build: status, finished_at, sessions, seconds, checks, via ...);
    checks: structural check name -> violating rows (pipeline.run_checks, plus
    sessions_built); suites: Great Expectations results (suite, expectation, column,
    success, unexpected_count, blocking), None when they were not run; data_docs:
    the Data Docs index.html, linked from the report.
    """
    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    now = now or dt.datetime.now(dt.UTC)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    sections = gather(con, run=run, checks=checks, suites=suites, data_docs=data_docs, now=now)
    title = f"Quality report, {now:%Y-%m-%d %H:%M:%S} UTC"

    tmp = reports_dir / f".tmp-{stamp}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        (tmp / REPORT_MD).write_text(render_markdown(title, sections), encoding="utf-8")
        # Links (to the Data Docs) are relative to the report's folder, a sibling of tmp.
        (tmp / REPORT_HTML).write_text(render_html(title, sections, base=tmp), encoding="utf-8")
        name, n = stamp, 1
        while True:
            target = reports_dir / name
            if not target.exists():
                try:
                    os.rename(tmp, target)
                    break
                except OSError:
                    if not target.exists():
                        raise
            n += 1
            name = f"{stamp}-{n}"
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _point_latest(reports_dir, target.name)
    _prune(reports_dir, keep, target)
    return ReportPaths.at(target)


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


# -- Markdown ----------------------------------------------------------------------------
def _plain(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return _fmt(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def _md_cell(value, width: int) -> str:
    text = _CONTROL.sub(" ", _plain(value).replace("\r\n", "\n").replace("\n", " / "))
    text = " ".join(text.split())
    if len(text) > width:
        text = text[: width - 1] + "…"
    return text.replace("|", "\\|")


def _md_text(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def _md_table(table: Table) -> list[str]:
    rows = table.rows if table.md_max_rows is None else table.rows[: table.md_max_rows]
    cells = [[_md_cell(v, table.md_widths.get(i, table.md_width)) for i, v in enumerate(row)] for row in rows]
    head = [_md_cell(c, table.md_width) for c in table.columns]
    widths = [max([len(h), 3] + [len(r[i]) for r in cells]) for i, h in enumerate(head)]

    def line(values):
        return "| " + " | ".join(v.rjust(w) if i in table.numeric else v.ljust(w)
                                 for i, (v, w) in enumerate(zip(values, widths))) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":") if i in table.numeric else ("-" * (w + 2))
                          for i, w in enumerate(widths)) + "|"
    out = [line(head), rule, *[line(r) for r in cells]]
    if table.md_max_rows is not None and len(table.rows) > table.md_max_rows:
        out.append(f"\n({len(table.rows) - table.md_max_rows} more rows in the HTML report)")
    return out


def render_markdown(title: str, sections: list[Section]) -> str:
    out = [f"# {title}", ""]
    for section in sections:
        out += [f"## {section.title}", ""]
        for i, block in enumerate(section.blocks):
            if isinstance(block, Para):
                mark = {"pass": "[ok] ", "fail": "[FAIL] ", "warn": "[!] "}.get(block.status or "", "")
                out += [mark + _md_text(block.text), ""]
            elif isinstance(block, Table):
                out += [*_md_table(block), ""]
            elif isinstance(block, Items):
                shown = [_md_cell(i, 80) for i in block.items[: block.md_limit]]
                more = len(block.items) - len(shown)
                tail = f" … and {more} more" if more else ""
                out.append(f"- {_md_text(block.label)}: " + ", ".join(shown) + tail)
                if not (i + 1 < len(section.blocks) and isinstance(section.blocks[i + 1], Items)):
                    out.append("")
            elif isinstance(block, Link):
                out += [f"{_md_text(block.label)}: {_md_text(str(block.path))}", ""]
    return "\n".join(out).rstrip() + "\n"


# -- HTML --------------------------------------------------------------------------------
_CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330;
       margin: 0 auto; max-width: 1200px; padding: 1.5em 2em 4em; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #d5dae3; padding-bottom: .2em; }
nav { font-size: .9em; margin: .5em 0 1.5em; }
nav a { margin-right: 1em; }
a { color: #1a5fb4; }
table { border-collapse: collapse; margin: .6em 0 1.2em; font-size: .92em; }
th, td { border: 1px solid #d5dae3; padding: .25em .55em; text-align: left; vertical-align: top; }
th { background: #eef1f6; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td { max-width: 38em; overflow-wrap: anywhere; white-space: pre-wrap; }
tr:nth-child(even) td { background: #f8f9fb; }
.badge { display: inline-block; font-size: .78em; font-weight: 700; padding: .05em .5em; border-radius: .8em;
         margin-right: .5em; color: #fff; }
.pass { background: #2e7d32; } .fail { background: #c62828; } .warn { background: #b26a00; }
details { margin: .3em 0; } summary { cursor: pointer; }
.items { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .88em; color: #333; }
footer { margin-top: 3em; font-size: .85em; color: #667; }
"""


def _h(value) -> str:
    return html.escape(_plain(value), quote=True)


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{_h(c)}</th>" for c in table.columns)
    body = []
    for row in table.rows:
        cells = []
        for i, v in enumerate(row):
            text = _plain(v)
            if len(text) > 4000:
                text = text[:3999] + "…"
            cls = ' class="num"' if i in table.numeric else ""
            cells.append(f"<td{cls}>{html.escape(text, quote=True)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _href(path: Path, base: Path | None) -> str:
    path = Path(path)
    target = path
    if base is not None:
        try:
            target = Path(os.path.relpath(path.resolve(), base.resolve()))
        except ValueError:  # another drive
            target = path.resolve()
    if target.is_absolute():
        return html.escape(target.as_uri(), quote=True)
    return html.escape("/".join(urllib.parse.quote(part) for part in target.parts), quote=True)


_BADGES = {"pass": "ok", "fail": "fail", "warn": "note"}


def render_html(title: str, sections: list[Section], base: Path | None) -> str:
    nav = "".join(f'<a href="#{s.anchor}">{_h(s.title)}</a>' for s in sections)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_h(title)}</h1>",
        "<p>unga-warehouse: UN General Assembly resolutions. Source: United Nations.</p>",
        f"<nav>{nav}</nav>",
    ]
    for section in sections:
        parts.append(f'<section id="{html.escape(section.anchor, quote=True)}"><h2>{_h(section.title)}</h2>')
        for block in section.blocks:
            if isinstance(block, Para):
                word = _BADGES.get(block.status or "")
                badge = f'<span class="badge {block.status}">{word}</span>' if word else ""
                parts.append(f"<p>{badge}{_h(block.text)}</p>")
            elif isinstance(block, Table):
                parts.append(_html_table(block))
            elif isinstance(block, Items):
                parts.append(f"<details><summary>{_h(block.label)}</summary>"
                             f'<p class="items">{_h(", ".join(block.items))}</p></details>')
            elif isinstance(block, Link):
                parts.append(f'<p><a href="{_href(block.path, base)}">{_h(block.label)}</a> '
                             f"<code>{_h(str(block.path))}</code></p>")
        parts.append("</section>")
    parts.append("<footer>Written by warehouse/report.py; the Markdown twin is quality.md in the same folder."
                 "</footer></body></html>")
    return "\n".join(parts) + "\n"
