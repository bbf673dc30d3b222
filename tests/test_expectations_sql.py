"""The suites evaluated as SQL (expectations/sqlcheck.py) give what GE's pandas engine gives.

Both engines run every suite on the real build of sessions 74-79 (working warehouse and
snapshot) and on a copy of the snapshot broken in many ways at once (the corruptions of
tests/test_expectations.py, and some that tell the two regex dialects and GE's null
handling apart); every expectation must agree on success, unexpected count, its sample
of unexpected values and the resolutions it names.
"""

from __future__ import annotations

import html
import re
import shutil

import duckdb
import pytest

from expectations.results import SAMPLE_SIZE
from expectations.runner import run_suites
from expectations.sqlcheck import re2
from expectations.suites import SUITES, raw_specs
from tests.test_expectations import CORRUPTIONS
from warehouse.codebook import load_codebook

UNORDERED = ("expect_column_distinct_values_to_equal_set", "expect_column_distinct_values_to_contain_set")
REGEX_CLASSES = ("ExpectColumnValuesToMatchRegex", "ExpectColumnValuesToNotMatchRegex")


def _suite_regexes() -> set[str]:
    codebook = load_codebook()
    out = set()
    for suite in SUITES:
        for frame in suite.build(codebook, extra_specs=raw_specs(codebook)):
            out |= {e.kwargs["regex"] for e in frame.expectations if e.gx_class in REGEX_CLASSES}
    return out


def test_every_suite_regex_means_the_same_in_re2():
    regexes = _suite_regexes()
    assert len(regexes) >= 10
    # Probes: words of the suites' own domains, and each altered where Python's re and RE2
    # differ (a trailing newline, a non-ASCII digit, letter or mark after a word, upper case).
    bases = ["A/RES/78/229", "A/RES/ES-11/4 B", "78", "S-32", "requests", "calls upon", "re-emphasizes",
             "also requests", "ever mindful", "greatly", "decides that ... shall", "(none)", "NEW ZEALAND",
             "wildlife_crime", "unodc", "USA", "840", "79, 80", "74,75", "0123abcdef" * 4, "f" * 64,
             "https://undocs.org/A/1", "Uganda (on behalf of X)", "a <b>", ""]
    tails = ["", "\n", "é", "\u0663", "\u0301", "_", "x", " ", "1"]
    probes = {b + t for b in bases for t in tails} | {t + b for b in bases for t in tails}
    probes |= {p.upper() for p in probes} | {p.replace("7", "\u0667") for p in probes}
    con = duckdb.connect()
    rows = sorted(probes)
    for regex in sorted(regexes):
        got = con.execute("SELECT list_transform(?::VARCHAR[], s -> regexp_matches(s, ?))",
                          [rows, re2(regex)]).fetchone()[0]
        want = [re.search(regex, s) is not None for s in rows]
        diff = [s for s, g, w in zip(rows, got, want) if g != w]
        assert not diff, f"{regex!r} differs in RE2 on {diff[:5]!r}"


def _key(result):
    out = {}
    for s in result.suites:
        for e in s.expectations:
            out[(s.name, e.name)] = e
    return out


def _assert_same(sql, pandas):
    a, b = _key(sql), _key(pandas)
    assert a.keys() == b.keys()
    assert len(a) == sum(s.evaluated for s in sql.suites) > 0
    for k in a:
        x, y = a[k], b[k]
        assert x.success == y.success, (k, x, y)
        assert (x.error is None) == (y.error is None), (k, x.error, y.error)
        assert x.unexpected_count == y.unexpected_count, (k, x, y)
        unordered = x.expectation_type in UNORDERED or k[1].startswith("rules.")
        if unordered and (x.unexpected_count or 0) > SAMPLE_SIZE:
            # GE lists a distinct-value expectation's values in a set's order (list(set)), which
            # changes from process to process, and a rule's SQL has no ORDER BY (both engines run
            # the same query; DuckDB returns its rows in any order): a sample of a longer list is
            # any SAMPLE_SIZE of them.
            assert len(x.unexpected_sample) == len(y.unexpected_sample) == SAMPLE_SIZE, k
        else:
            assert set(x.unexpected_sample) == set(y.unexpected_sample), (k, x.unexpected_sample, y.unexpected_sample)
        if unordered and x.by_symbol is not None and y.by_symbol is not None:
            assert {s: n for s, (n, _) in x.by_symbol.items()} == {s: n for s, (n, _) in y.by_symbol.items()}, k
        else:
            assert x.by_symbol == y.by_symbol, (k, x.by_symbol, y.by_symbol)
    return a


def _both(path, suites=None):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return run_suites(con, suites=suites), run_suites(con, suites=suites, engine="pandas")
    finally:
        con.close()


def test_sql_and_pandas_engines_agree_on_the_build(full_build):
    sql, pandas = _both(full_build.snapshot)
    _assert_same(sql, pandas)
    assert sql.blocking_failures == [] and sql.suite("quality_warnings").failures
    sql, pandas = _both(full_build.warehouse, suites=["raw", "core_paragraphs"])
    _assert_same(sql, pandas)


# Defects the corruptions of test_expectations.py do not reach: the regex dialects (a
# non-ASCII digit, a trailing newline), GE's null handling in row conditions (a null status
# meets "!= 'changed'"), a unique key broken by a null, a value outside a set of a lookup.
MORE = [
    "UPDATE core.dim_resolution SET session_label = '\u0667\u0668' WHERE symbol = 'A/RES/78/229'",
    "UPDATE core.fact_paragraph SET verb = 'requests' || chr(10) WHERE paragraph_key = (SELECT min(paragraph_key) "
    "FROM core.fact_paragraph WHERE verb = 'requests')",
    "UPDATE core.fact_paragraph SET verb = 'furtherance' WHERE paragraph_key = (SELECT max(paragraph_key) "
    "FROM core.fact_paragraph WHERE verb = 'requests')",
    "UPDATE core.fact_paragraph SET verb = 'alsoé' WHERE paragraph_key = (SELECT min(paragraph_key) "
    "FROM core.fact_paragraph WHERE verb = 'decides')",
    "UPDATE marts.paragraph_lineage SET status = NULL WHERE rowid IN (SELECT rowid FROM marts.paragraph_lineage "
    "WHERE status = 'unchanged' LIMIT 3)",
    "UPDATE marts.paragraph_lineage SET similarity = 1 WHERE rowid IN (SELECT rowid FROM marts.paragraph_lineage "
    "WHERE status = 'changed' LIMIT 2)",
    "UPDATE core.bridge_paragraph_theme SET theme = 'no_such_theme' WHERE rowid IN "
    "(SELECT rowid FROM core.bridge_paragraph_theme LIMIT 30)",
    "UPDATE core.fact_footnote SET footnote_ordinal = NULL WHERE rowid IN (SELECT rowid FROM core.fact_footnote LIMIT 2)",
    "UPDATE core.dim_actor SET iso3 = 'usa' WHERE actor_id = 'USA'",
    "UPDATE core.fact_paragraph SET words = 0 WHERE rowid IN (SELECT rowid FROM core.fact_paragraph LIMIT 25)",
    "DELETE FROM core.dim_theme WHERE theme = 'wildlife_crime'",
]


@pytest.fixture(scope="module")
def broken(full_build, tmp_path_factory):
    copy = tmp_path_factory.mktemp("broken") / "unga.duckdb"
    shutil.copyfile(full_build.snapshot, copy)
    con = duckdb.connect(str(copy))
    try:
        for _suite, sql, _expected in CORRUPTIONS.values():
            con.execute(sql)
        for sql in MORE:
            con.execute(sql)
    finally:
        con.close()
    return copy


def test_sql_and_pandas_engines_agree_on_a_broken_snapshot(broken):
    sql, pandas = _both(broken)
    found = _assert_same(sql, pandas)
    failed = {name for (_suite, name), e in found.items() if not e.success}
    for _suite, _sql, expected in CORRUPTIONS.values():
        assert set(expected) <= failed
    assert "core.dim_theme.theme.matches_reference" in failed
    assert any(e.by_symbol for e in found.values() if not e.success and not e.name.startswith("rules."))
    assert set(sql.blocking_failures) == set(pandas.blocking_failures) != set()


def _page_sections(path) -> tuple[str, str]:
    """A GE validation page's statistics and its table of expectation results, as text (the
    run time and the batch, which differ by engine, left out)."""
    page = re.sub(r"<(script|style).*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    stats = text[text.index("Statistics"):text.index("Show more info")]
    results = text[text.index("Status Expectation Observed Value"):]
    return stats, results


def test_data_docs_pages_from_sql_results(broken, tmp_path):
    """GE renders its validation pages from the SQL results as from its own: the same
    statistics and table of results, sampled unexpected values included."""
    pages = {}
    for engine in ("sql", "pandas"):
        root = tmp_path / engine
        con = duckdb.connect(str(broken), read_only=True)
        try:
            result = run_suites(con, suites=["core_paragraphs"], data_docs_dir=root, engine=engine)
        finally:
            con.close()
        s = result.suite("core_paragraphs")
        assert s.data_docs_pages and all(p.exists() for p in s.data_docs_pages)
        assert (root / "gx" / "index.html").exists()
        # gx/validations/<suite>/<frame, split on dots>/<run name>/<run time>/<batch>.html
        pages[engine] = {".".join(p.relative_to(root).parts[3:-3]): _page_sections(p) for p in s.data_docs_pages}
    assert pages["sql"].keys() == pages["pandas"].keys() == {
        "codebook", "core.fact_paragraph", "core.fact_subparagraph", "core.fact_footnote", "rules"}
    for frame, (stats, results) in pages["sql"].items():
        other_stats, other_results = pages["pandas"][frame]
        assert stats == other_stats, frame
        if frame != "rules":  # a rule's rows come in any order (see _assert_same)
            assert results == other_results, frame
    stats, results = pages["sql"]["core.fact_paragraph"]
    assert "Unsuccessful Expectations 0" not in stats and "appendix" in results


def test_one_context_per_publication_builds_every_suites_pages(built_78):
    """A publication validates the raw layer on the warehouse and the rest on the snapshot in
    one GE context (expectations.gate.SuitesGate): one run time for all suites, and the site
    built once at the end still holds the raw suite's pages beside the snapshot suites'."""
    import json

    docs = built_78.reports / "data_docs"
    state = json.loads((docs / "suites.json").read_text(encoding="utf-8"))
    raw, paragraphs = state["raw"], state["core_paragraphs"]
    assert raw["run_time"] == paragraphs["run_time"]
    for entry in (raw, paragraphs):
        pages = [docs / p for p in entry["data_docs_pages"]]
        assert pages and all(p.is_file() and p.suffix == ".html" for p in pages), entry["data_docs_pages"]
    assert (docs / "gx" / "index.html").is_file()
