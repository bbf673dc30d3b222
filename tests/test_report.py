"""The completeness tables and the quality report (warehouse/report/), on real builds.

``full_build`` (sessions 74-79) is only read: its working warehouse is opened
read-only and reports go to tmp_path. The cases the bundled corpus lacks (a reissue,
a byte-identical duplicate, a text version of an XML resolution) come from one
session-78 build whose landing adds them, as a user would: the bundled
data/landing/text/A_RES_78_229.md, a reissue of A/RES/78/1 with a later publication
date and a copy of the 78/80 A and B file under another name. Expected numbers are
counted here with plain SQL on raw, staging and core, not with the report's SQL.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import polars as pl
import pytest
from click.testing import CliRunner

from tests.conftest import BUNDLED, ZIP, make_data_dir
from warehouse import pipeline
from orchestration.build import build_all
from orchestration.cli import main
from warehouse.report import (CATEGORIES, REPORT_HTML, REPORT_MD, Items, Link, Para, Section, Table,
                              completeness, latest_report, render_html, render_markdown, write_report)
from warehouse.settings import ENV_VAR, Paths

SESSIONS = [74, 75, 76, 77, 78, 79]
TEXT_229 = Path(__file__).resolve().parent.parent / "data" / "landing" / "text" / "A_RES_78_229.md"
MEMBER_1 = "78session/English/A_RES_78_1_E.xml"
MEMBER_80 = "78session/English/A_RES_78_80AB-2324937E.xml"
SECTIONS = ["Run", "Counts per session", "Completeness against DGACM's metadata", "Rejected files",
            "Structural checks", "Expectation suites", "Text versions against the XML", "Theme coverage",
            "Metadata problems"]
SUMMARY_COLUMNS = [
    "session", "xml_resolutions", "metadata_resolutions", "in_both", "xml_only", "metadata_only",
    "superseded_by_reissue", "duplicates", "text_versions", "text_duplicating_xml", "rejected_files",
    "xml_only_symbols", "metadata_only_symbols", "superseded_symbols", "duplicate_symbols",
    "text_duplicating_xml_symbols", "text_only_symbols", "rejected_documents",
]
RUN = {"finished_at": "2025-06-01T12:00:00", "status": "published", "sessions": SESSIONS, "seconds": 61.5,
       "checks": {}, "tables": {}, "via": "in-process"}


def _checks(con) -> dict[str, pl.DataFrame]:
    checks = pipeline.run_checks(con)
    checks[pipeline.SESSIONS_BUILT] = pipeline.unbuilt_sessions(con, [])
    return checks


def _count(con, sql: str, params: list | None = None) -> int:
    return con.execute(sql, params or []).fetchone()[0]


def _row(summary: pl.DataFrame, session: int) -> dict:
    (row,) = summary.filter(pl.col("session") == session).to_dicts()
    return row


@pytest.fixture(scope="module")
def full_con(full_build):
    con = duckdb.connect(str(full_build.warehouse), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def extras_78(tmp_path_factory) -> Paths:
    """Session 78 built with a text version of 78/229, a reissue of 78/1 and a copy of 78/80 A-B."""
    paths = make_data_dir(tmp_path_factory.mktemp("extras") / "data", [78])
    (paths.landing / "text").mkdir()
    shutil.copyfile(TEXT_229, paths.landing / "text" / TEXT_229.name)
    with zipfile.ZipFile(BUNDLED / ZIP.format(78)) as zf:
        original, collection = zf.read(MEMBER_1), zf.read(MEMBER_80)
    old_date = b'<FRBRdate date="2023-10-16" name="publication">'
    assert old_date in original
    extra = paths.landing / "extra"
    extra.mkdir()
    (extra / "A_RES_78_1_reissue.xml").write_bytes(
        original.replace(old_date, b'<FRBRdate date="2023-11-20" name="publication">'))
    (extra / "A_RES_78_80AB_copy.xml").write_bytes(collection)
    summary = build_all(paths)
    assert summary["status"] == "published", summary
    return paths


# -- completeness ------------------------------------------------------------------------
def test_completeness_against_independent_counts(full_con):
    summary, detail = completeness(full_con)
    assert summary.columns == SUMMARY_COLUMNS
    assert detail.columns == ["session", "symbol", "category", "document", "note"]
    assert summary["session"].to_list() == SESSIONS  # nothing unplaced, so no NULL-session row
    assert set(detail["category"]) <= set(CATEGORIES)
    assert _count(full_con, "SELECT count(*) FROM core.dim_resolution WHERE source_format <> 'xml'") == 0

    for s in SESSIONS:
        row = _row(summary, s)
        xml = _count(full_con, "SELECT count(DISTINCT symbol) FROM staging.resolution "
                               "WHERE session = ? AND source_format = 'xml'", [s])
        both = _count(full_con, "SELECT count(*) FROM core.dim_resolution WHERE session = ? AND in_metadata", [s])
        xml_only = _count(full_con, "SELECT count(*) FROM core.dim_resolution WHERE session = ? AND NOT in_metadata",
                          [s])
        # DGACM rows naming no resolution of the XML: neither its symbol nor (a collection) its base.
        metadata_only = _count(full_con, """
            SELECT count(DISTINCT m.symbol) FROM staging.metadata m
            WHERE m.session = ? AND NOT EXISTS (
                SELECT 1 FROM core.dim_resolution r
                WHERE r.session = m.session AND (r.symbol = m.symbol OR r.base_symbol = m.symbol))""", [s])
        rejected = _count(full_con, "SELECT count(*) FROM raw.rejected WHERE session = ?", [s])
        superseded = _count(full_con, "SELECT count(*) FROM staging.document_status "
                                      "WHERE session = ? AND status <> 'current'", [s])
        assert row["xml_resolutions"] == xml == both + xml_only, s
        assert (row["in_both"], row["xml_only"], row["metadata_only"]) == (both, xml_only, metadata_only), s
        assert row["metadata_resolutions"] == both + metadata_only, s
        assert row["rejected_files"] == rejected, s
        assert row["superseded_by_reissue"] + row["duplicates"] + row["text_duplicating_xml"] == superseded, s
        assert len(row["xml_only_symbols"]) == xml_only and len(row["rejected_documents"]) == rejected, s
        # Exactly one coverage row per symbol.
        coverage = detail.filter((pl.col("session") == s)
                                 & pl.col("category").is_in(["both", "xml_only", "metadata_only"]))
        assert coverage["symbol"].n_unique() == coverage.height == row["in_both"] + row["xml_only"] + row[
            "metadata_only"]
        expected_xml_only = sorted(r[0] for r in full_con.execute(
            "SELECT symbol FROM core.dim_resolution WHERE session = ? AND NOT in_metadata", [s]).fetchall())
        assert sorted(row["xml_only_symbols"]) == expected_xml_only

    # Read off the data: 79 complete (340 of its own and ES-10/24, adopted 18 September 2024, with its
    # row in ES-10.json); 74's metadata extract stops at 27 December 2019; 75's special session on
    # corruption (S-32/1) meets its row in S-32.json; 75 ships a French file.
    assert {k: _row(summary, 79)[k] for k in ("xml_resolutions", "in_both", "xml_only", "metadata_only")} == {
        "xml_resolutions": 341, "in_both": 341, "xml_only": 0, "metadata_only": 0}
    assert _row(summary, 74)["xml_resolutions"] == 318
    assert _row(summary, 75)["xml_only_symbols"] == []
    assert _row(summary, 75)["rejected_documents"] == [
        "ga-akn/session-75-English.zip!75session/English/75_274_F.xml"]
    (rej,) = detail.filter(pl.col("category") == "rejected").to_dicts()
    assert (rej["session"], rej["symbol"]) == (75, "A/RES/75/274") and "fra" in rej["note"]
    # The fixture lands no text, reissue or duplicate; but ES-11/1, /4 and /6 come twice, loose and in
    # the session-76 and -77 zips, with the same publication date: one copy of each is superseded.
    assert summary.select(pl.sum("superseded_by_reissue", "duplicates", "text_versions")).row(0) == (3, 0, 0)
    assert sorted(s for row in summary["superseded_symbols"].to_list() for s in row) == [
        "A/RES/ES-11/1", "A/RES/ES-11/4", "A/RES/ES-11/6"]


def test_completeness_finds_reissue_duplicate_and_text(extras_78):
    con = duckdb.connect(str(extras_78.warehouse), read_only=True)
    try:
        summary, detail = completeness(con)
        statuses = con.execute("SELECT symbol, status, reason FROM staging.document_status "
                               "WHERE status <> 'current' ORDER BY symbol").fetchall()
        core_count = _count(con, "SELECT count(*) FROM core.dim_resolution")
        recon = con.execute("SELECT agreement, passed FROM core.text_reconciliation "
                            "WHERE symbol = 'A/RES/78/229'").fetchone()
    finally:
        con.close()
    assert [(s, st) for s, st, _ in statuses] == [
        ("A/RES/78/1", "superseded"), ("A/RES/78/229", "superseded"),
        ("A/RES/78/80 A", "duplicate"), ("A/RES/78/80 B", "duplicate")]
    row = _row(summary, 78)
    assert core_count == row["xml_resolutions"] == 332
    assert (row["superseded_by_reissue"], row["superseded_symbols"]) == (1, ["A/RES/78/1"])
    assert (row["duplicates"], row["duplicate_symbols"]) == (2, ["A/RES/78/80 A", "A/RES/78/80 B"])
    assert (row["text_versions"], row["text_duplicating_xml"], row["text_duplicating_xml_symbols"]) == (
        1, 1, ["A/RES/78/229"])
    assert row["text_only_symbols"] == []

    def only(category):
        (r,) = detail.filter(pl.col("category") == category).to_dicts()
        return r

    reissue = only("superseded_by_reissue")
    assert reissue["document"] == f"{ZIP.format(78)}!{MEMBER_1}"
    assert "reissue" in reissue["note"] and "extra/A_RES_78_1_reissue.xml" in reissue["note"]
    text = only("text_duplicating_xml")
    assert text["document"] == "text/A_RES_78_229.md"
    assert f"agreement {recon[0]:.3f}" in text["note"] and ("passed" in text["note"]) == recon[1]
    dups = detail.filter(pl.col("category") == "duplicate")
    assert dups["note"].str.starts_with("same bytes as").all()


# -- the report --------------------------------------------------------------------------
def test_rendering_of_the_document_model(tmp_path):
    """The templates lay out what a reader relies on: every section, its numbers, badges, lists
    cut in the Markdown, links relative to the report, and data escaped in the HTML."""
    sections = [
        Section("counts", "Counts <per> session", [
            Para("Everything & more was read.", "pass"),
            Table(["session", "resolutions", "title"], [[78, 332, "a <b>bold</b> claim"], [79, 12345, None],
                                                        ["total", 12677, "x | y\nz"]], numeric={1}),
        ]),
        Section("lists", "Lists", [
            Items("session 78, rejected <files> (30)", [f"A/RES/78/{i}" for i in range(30)]),
            Items("session 79, in the XML only (1)", ["A/RES/79/<1>"]),
            Para("Needs attention.", "warn"),
            Link("Data Docs", tmp_path / "gx" / "index.html"),
        ]),
        Section("empty", "Nothing here", []),
    ]
    base = tmp_path / "reports" / "20250601T120000Z"
    md = render_markdown("Quality report, <test>", sections)
    page = render_html("Quality report, <test>", sections, base=base)

    assert md.startswith("# Quality report, <test>\n\n## Counts <per> session\n\n[ok] Everything & more was read.\n")
    assert [line for line in md.splitlines() if line.startswith("## ")] == [
        "## Counts <per> session", "## Lists", "## Nothing here"]
    assert md.endswith("## Nothing here\n")
    assert ("| session | resolutions | title               |\n"
            "|---------|------------:|---------------------|\n"
            "| 78      |         332 | a <b>bold</b> claim |\n"
            "| 79      |       12345 | -                   |\n"
            "| total   |       12677 | x \\| y / z          |\n") in md
    assert "- session 78, rejected <files> (30): A/RES/78/0, A/RES/78/1," in md
    assert "A/RES/78/24 … and 5 more\n- session 79, in the XML only (1): A/RES/79/<1>\n\n[!] Needs attention.\n" in md
    assert f"Data Docs: {tmp_path / 'gx' / 'index.html'}\n" in md

    assert page.startswith("<!DOCTYPE html>\n") and page.endswith("</footer></body></html>\n")
    assert "<title>Quality report, &lt;test&gt;</title>" in page and "<h1>Quality report, &lt;test&gt;</h1>" in page
    assert '<nav><a href="#counts">Counts &lt;per&gt; session</a><a href="#lists">Lists</a>' in page
    for anchor, title in (("counts", "Counts &lt;per&gt; session"), ("lists", "Lists"), ("empty", "Nothing here")):
        assert f'<section id="{anchor}"><h2>{title}</h2>' in page
    assert '<p><span class="badge pass">ok</span>Everything &amp; more was read.</p>' in page
    assert '<p><span class="badge warn">note</span>Needs attention.</p>' in page
    assert ('<tr><td>78</td><td class="num">332</td><td>a &lt;b&gt;bold&lt;/b&gt; claim</td></tr>'
            '<tr><td>79</td><td class="num">12345</td><td>-</td></tr>') in page
    assert "<b>" not in page and "<files>" not in page and "A/RES/79/&lt;1&gt;" in page
    assert "<summary>session 78, rejected &lt;files&gt; (30)</summary>" in page and "A/RES/78/29</p>" in page
    assert '<a href="../../gx/index.html">Data Docs</a>' in page


def test_the_build_reports_its_duration(full_build):
    """`unga build`'s own report (not the hand-made run of the other tests) times the run."""
    md = (full_build.reports / "latest" / "quality.md").read_text(encoding="utf-8")
    duration = re.search(r"^\| duration +\| ([\d.]+) s +\|", md, re.M)
    assert duration and float(duration.group(1)) > 0, md[:600]


def test_report_on_the_full_build(full_build, full_con, tmp_path):
    suites = pl.DataFrame({"suite": ["core", "core"], "expectation": ["expect_column_values_to_not_be_null"] * 2,
                           "column": ["symbol", "title"], "success": [True, False], "unexpected_count": [0, 4],
                           "blocking": [True, False]})
    docs = tmp_path / "gx" / "index.html"
    report = write_report(full_con, tmp_path / "reports", run=RUN, checks=_checks(full_con), suites=suites,
                          data_docs=docs)
    assert report.directory.parent == tmp_path / "reports"
    assert re.fullmatch(r"\d{8}T\d{6}Z", report.directory.name)
    md, page = report.markdown.read_text(encoding="utf-8"), report.html.read_text(encoding="utf-8")
    assert report.markdown.name == REPORT_MD and report.html.name == REPORT_HTML
    for title in SECTIONS:
        assert f"## {title}\n" in md
        assert f"<h2>{title.replace(chr(39), '&#x27;')}</h2>" in page
    assert latest_report(tmp_path / "reports") == report
    assert (tmp_path / "reports" / "latest").resolve() == report.directory.resolve()

    # Counts per session, as core has them.
    for session, resolutions, footnotes in full_con.execute(
            "SELECT session, count(*), sum(footnotes) FROM core.dim_resolution GROUP BY session").fetchall():
        assert re.search(rf"^\| {session} +\| +{resolutions} \|.*\| +{footnotes} \|", md, re.M), session
        # The same numbers in the HTML table, right-aligned.
        assert re.search(rf'<tr><td>{session}</td><td class="num">{resolutions}</td>', page), session
    assert "A/RES/ES-11/4" in md and "75_274_F.xml" in md  # a superseded copy, a rejected document
    assert "in the XML only (47)" in md  # session 74, after its metadata extract ends
    assert "| unique_keys " in md and "| sessions_built " in md and "| text_matches_xml " in md
    assert "1 of 2 expectations failed (0 blocking)" in md and f"Data Docs: {docs}" in md
    assert 'href="../../gx/index.html"' in page  # relative to reports/<stamp>/
    assert "A/RES/78/229" not in md.split("## Text versions")[1].split("## Theme")[0]  # no text landed
    assert "have at least one paragraph tagged with a theme" in md
    assert "second row for <symbol>" in md and "&lt;symbol&gt;" in page
    # Narrow enough for a terminal: tables and prose, but not the lists of symbols.
    assert max(len(line) for line in md.splitlines() if line.startswith("|")) <= 140
    # Self-contained: no script, no external resource.
    assert "<script" not in page.lower() and "http://" not in page and "https://" not in page
    assert "<style>" in page


def test_report_escapes_untrusted_text_and_prunes(extras_78, tmp_path):
    working = tmp_path / "unga.duckdb"
    shutil.copyfile(extras_78.warehouse, working)
    evil = '<script>alert("x")</script> \x1b[31mred\x1b[0m'
    con = duckdb.connect(str(working))
    try:
        before = _row(completeness(con)[0], 78)["rejected_files"]
        con.execute("INSERT INTO raw.rejected VALUES (78, ?, NULL, NULL, 'akn-xml', 'parse', ?, now())",
                    ["extra/<img src=x onerror=alert(1)>.xml", evil])
        checks = _checks(con)
        checks["unique_keys"] = pl.DataFrame({"table_name": ["core.dim_resolution"], "key": ["<b>A/RES/78/1</b>"],
                                              "rows": [2]})
        reports = tmp_path / "reports"
        when = dt.datetime(2025, 6, 1, 12, 0, 0, tzinfo=dt.UTC)
        first = write_report(con, reports, run={**RUN, "status": "blocked", "sessions": [78]}, checks=checks,
                             suites=None, data_docs=None, now=when)
        summary, _ = completeness(con)
        second = write_report(con, reports, run=RUN, checks=checks, suites=None, data_docs=None, now=when)
        third = write_report(con, reports, run=RUN, checks=checks, suites=None, data_docs=None, keep=2,
                             now=when + dt.timedelta(seconds=1))
    finally:
        con.close()
    assert _row(summary, 78)["rejected_files"] == before + 1
    assert (first.directory.name, second.directory.name, third.directory.name) == (
        "20250601T120000Z", "20250601T120000Z-2", "20250601T120001Z")
    assert not first.directory.exists() and second.directory.exists()
    assert sorted(p.name for p in reports.iterdir()) == ["20250601T120000Z-2", "20250601T120001Z", "latest"]
    assert latest_report(reports) == third

    page = second.html.read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and "<b>A/RES" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "&lt;b&gt;A/RES/78/1&lt;/b&gt;" in page
    md = second.markdown.read_text(encoding="utf-8")
    assert "\x1b" not in md and "alert(" in md
    assert "[FAIL] unique_keys: 1 violation(s)" in md
    assert "Great Expectations suites: not run." in md
    # The session-78 extras reach the report.
    text = md.split("## Text versions")[1]
    assert "A/RES/78/229" in text and "text/A_RES_78_229.md" in text
    assert "XML superseded by a reissue or later publication (1): A/RES/78/1" in md
    assert "byte-identical duplicates (2): A/RES/78/80 A, A/RES/78/80 B" in md
    assert "text versions duplicating an XML resolution (1): A/RES/78/229" in md


def test_unga_report_command(extras_78, tmp_path):
    runner = CliRunner()
    root = tmp_path / "data"
    result = runner.invoke(main, ["--data-dir", str(root), "report"], env={ENV_VAR: None})
    assert result.exit_code == 1
    assert "no quality report" in result.output and "run `unga build` first" in result.output

    con = duckdb.connect(str(extras_78.warehouse), read_only=True)
    try:
        written = write_report(con, Paths(root).reports, run=RUN, checks=_checks(con), suites=None, data_docs=None)
    finally:
        con.close()
    result = runner.invoke(main, ["--data-dir", str(root), "report"], env={ENV_VAR: None})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Quality report")
    assert result.output.rstrip().endswith(f"HTML: {written.html}")
    assert result.output[: -len(f"HTML: {written.html}\n")] == written.markdown.read_text(encoding="utf-8")
    result = runner.invoke(main, ["report", "--format", "path"], env={ENV_VAR: str(root)})
    assert (result.exit_code, result.output) == (0, f"{written.html}\n")
    result = runner.invoke(main, ["--data-dir", str(root), "report", "--format", "html"], env={ENV_VAR: None})
    assert result.exit_code == 0 and result.output.startswith("<!DOCTYPE html>")
