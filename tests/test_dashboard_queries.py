"""The queries behind the dashboard's pages (dashboards/queries.py), on a real build.

Expected values come from the core tables or the marts queried here directly (not
through the dashboard's SQL), or are read off the resolutions: the resolutions behind a
point of the environmental-crime trend are counted from the theme bridge, search hits
are checked word by word, the lineage of 78/229 is checked against marts.series_step
and its diffs against the mart's own diff column.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboards import queries, render
from transforms.lineage import diff_chunks, word_diff
from warehouse import db, pipeline
from warehouse.search import highlight_spans, open_search
from warehouse.settings import Paths


@pytest.fixture(autouse=True)
def _keep_main_module():
    """Streamlit's AppTest runs a page as sys.modules["__main__"] and leaves it there; a process
    pool started later in the run (transforms.parallel, spawn) then re-runs that page as the
    workers' main module, which fails, and the pool falls back to one process. Put it back."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main

YEARS = list(range(2019, 2026))
SESSIONS = list(range(74, 80))
PARTIAL_YEARS = {2019, 2025}  # session 74's autumn only; session 79's January to September only
ENV_THEMES = {"environmental_crime", "wildlife_crime", "timber_crime", "waste_crime", "mineral_crime",
              "fisheries_crime", "pollution_crime"}


def q(paths: Paths, name: str, **params):
    return queries.run(paths.snapshot, name, **params)


def direct(paths: Paths, sql: str, params=None) -> pl.DataFrame:
    con = duckdb.connect(str(paths.snapshot), read_only=True)
    try:
        return con.execute(sql, params).pl()
    finally:
        con.close()


# ---------------------------------------------------------------- snapshot and loader

def test_no_snapshot_gives_the_empty_state_message(tmp_path):
    paths = Paths(tmp_path / "data")
    assert queries.current_snapshot(paths) is None
    with pytest.raises(queries.NoSnapshot) as err:
        queries.run(paths.snapshot, "env_crime_trend")
    assert "No published snapshot yet: run `make run` (or `unga build`)" in str(err.value)
    assert str(paths.snapshot) in str(err.value)
    # Nothing was created in the empty data dir by trying.
    assert not paths.root.exists()


def test_the_app_shows_the_empty_state_without_a_snapshot(tmp_path, monkeypatch):
    """The loader behind every page (dashboards/ui.py), run by Streamlit's own test runner."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("UNGA_DATA_DIR", str(tmp_path / "empty"))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboards" / "app.py"),
                           default_timeout=60)
    at.run()
    assert not at.exception
    infos = [i.value for i in at.info]
    assert any("No published snapshot yet: run `make run` (or `unga build`)" in i for i in infos), infos


def test_every_query_closes_its_connection_so_a_new_publish_is_seen(full_build, tmp_path):
    """Publish twice under the same path: the next query, and the next cache key, see the new one.

    The first snapshot is a copy of the full build's; the second is a real publish
    (expectations.gate.publish: warehouse.publish.publish behind the suites) from the full
    build's working warehouse, renamed over it.
    """
    from dashboards import ui
    from expectations.gate import publish

    paths = Paths(tmp_path / "data")
    paths.published_dir.mkdir(parents=True)
    shutil.copyfile(full_build.snapshot, paths.snapshot)
    first = queries.current_snapshot(paths)
    before = q(paths, "build_info")["run_id"][0]
    assert ui._cached("build_info", first.path, first.key, {})["run_id"][0] == before
    sessions = q(paths, "status_sessions")

    con = db.connect(full_build.warehouse)
    try:
        publish(con, paths.snapshot, {}, pipeline.build_info([74, 75, 76, 77, 78, 79], "second-publish", "in-process"))
    finally:
        con.close()

    second = queries.current_snapshot(paths)
    assert second is not None and second.key != first.key
    assert q(paths, "build_info")["run_id"][0] == "second-publish"
    # The page cache: a new key for the new file, and the new data under it.
    assert ui._cached("build_info", second.path, second.key, {})["run_id"][0] == "second-publish"
    assert ui._cached("build_info", first.path, first.key, {})["run_id"][0] == before  # served from memory
    assert q(paths, "status_sessions").equals(sessions)


def test_connections_are_read_only_and_closed(full_build):
    with queries.connect(full_build.snapshot) as con:
        with pytest.raises(duckdb.Error):
            con.execute("CREATE TABLE core.dashboard_was_here (i INTEGER)")
        with pytest.raises(duckdb.Error):  # external access is off: no other file can be read
            con.execute("SELECT * FROM read_csv_auto('/etc/hostname')")
    with pytest.raises(duckdb.Error):
        con.execute("SELECT 1")  # closed on exit


# ---------------------------------------------------------------- environmental crime

def test_period_coverage_of_sessions_and_years(full_build):
    sessions = q(full_build, "periods", period_type="session")
    assert sessions["period"].to_list() == SESSIONS
    assert sessions["period_label"][0] == "74th session (2019-20)"
    assert not sessions["is_partial"].any()  # whole in time, every one
    # 78 and 79 are not complete (ES-10/23 may belong to either), but not partial: a reason says so.
    incomplete = sessions.filter(~pl.col("is_complete"))
    assert set(incomplete["period"].to_list()) == {78, 79}
    assert all("ES-10/23" in r for r in incomplete["partial_reason"].to_list())
    years = q(full_build, "periods", period_type="year")
    assert years["period"].to_list() == YEARS
    partial = years.filter(pl.col("is_partial"))
    assert set(partial["period"].to_list()) == PARTIAL_YEARS
    reasons = dict(partial.select("period", "partial_reason").rows())
    assert "session 73" in reasons[2019] and "session 80" in reasons[2025]
    mart = direct(full_build, "SELECT period, is_partial, coverage FROM marts.period_coverage "
                              "WHERE period_type = 'year' ORDER BY period")
    assert years.select("period", "is_partial", "coverage").equals(mart)
    with pytest.raises(ValueError):
        q(full_build, "periods", period_type="decade")


@pytest.mark.parametrize("period_type, periods, mart, column", [
    ("session", SESSIONS, "marts.environmental_crime_trend_by_session", "session"),
    ("year", YEARS, "marts.environmental_crime_trend", "year"),
])
def test_environmental_crime_trend_has_every_theme_and_period(full_build, period_type, periods, mart, column):
    trend = q(full_build, "env_crime_trend", period_type=period_type)
    assert set(trend["period_type"].to_list()) == {period_type}
    assert set(trend["theme"].to_list()) == ENV_THEMES
    for theme in ENV_THEMES:
        assert trend.filter(pl.col("theme") == theme)["period"].to_list() == periods
    assert trend["theme"][0] == "environmental_crime"  # the parent first
    rows = direct(full_build, f"SELECT {column} AS period, theme, mentions, coverage, is_complete FROM {mart}")
    assert (trend.select("period", "theme", "mentions", "coverage", "is_complete").sort("period", "theme")
            .equals(rows.sort("period", "theme")))
    # The partial flags are their period's (marts.period_coverage), on every row of it.
    coverage = direct(full_build, "SELECT period, label, is_partial, partial_reason FROM marts.period_coverage "
                                  "WHERE period_type = ?", [period_type])
    expected = {r[0]: r[1:] for r in coverage.rows()}
    for row in trend.iter_rows(named=True):
        assert (row["period_label"], row["is_partial"], row["partial_reason"]) == expected[row["period"]], row
    flagged = set(trend.filter(pl.col("is_partial"))["period"].to_list())
    assert flagged == (PARTIAL_YEARS if period_type == "year" else set())
    assert q(full_build, "env_crime_trend").equals(q(full_build, "env_crime_trend", period_type="session"))


@pytest.mark.parametrize("period_type, column", [("session", "session"), ("year", "year")])
def test_the_resolutions_behind_each_point_add_up_to_it(full_build, period_type, column):
    trend = q(full_build, "env_crime_trend", period_type=period_type)
    # Independently: the theme bridge joined to the resolutions' adoption session or year.
    bridge = direct(full_build, f"""
        SELECT pt.theme, r.{column} AS period, count(DISTINCT pt.symbol) AS resolutions, count(*) AS paragraphs,
               sum(pt.mentions) AS mentions
        FROM core.bridge_paragraph_theme AS pt JOIN core.dim_resolution AS r USING (symbol)
        GROUP BY 1, 2""")
    expected = {(r["theme"], r["period"]): r for r in bridge.iter_rows(named=True)}
    for row in trend.iter_rows(named=True):
        behind = q(full_build, "env_crime_resolutions", period_type=period_type, period=row["period"],
                   theme=row["theme"])
        assert behind.height == row["resolutions"], row
        assert sorted(behind["symbol"].to_list()) == sorted(row["symbols"])
        assert behind["paragraphs"].sum() == row["paragraphs"]
        assert behind["mentions"].sum() == row["mentions"]
        assert (behind["preambular_paragraphs"].sum(), behind["operative_paragraphs"].sum()) == (
            row["preambular_paragraphs"], row["operative_paragraphs"])
        if period_type == "session":
            assert set(behind["session"].to_list()) <= {row["period"]}
        if row["resolutions"]:
            e = expected[(row["theme"], row["period"])]
            assert (row["resolutions"], row["paragraphs"], row["mentions"]) == (
                e["resolutions"], e["paragraphs"], e["mentions"])
    # Wildlife crime in 2023 (and in session 78) includes the crime-prevention resolution 78/229.
    point = {"session": 78, "year": 2023}[period_type]
    assert "A/RES/78/229" in q(full_build, "env_crime_resolutions", period_type=period_type, period=point,
                               theme="wildlife_crime")["symbol"].to_list()


# ------------------------------------------------------------------------------ themes

def test_themes_come_parent_first(full_build):
    themes = q(full_build, "themes")
    assert themes.height == direct(full_build, "SELECT count(*) AS n FROM core.dim_theme")["n"][0]
    order = themes["theme"].to_list()
    for row in themes.iter_rows(named=True):
        if row["parent"]:
            assert order.index(row["parent"]) < order.index(row["theme"])


@pytest.mark.parametrize("period_type, periods", [("session", SESSIONS), ("year", YEARS)])
def test_theme_trend_counts_preambular_and_operative_paragraphs_per_period(full_build, period_type, periods):
    picked = ["corruption", "wildlife_crime", "cybercrime"]
    trend = q(full_build, "theme_trend", themes=picked, period_type=period_type)
    assert set(trend["theme"].to_list()) == set(picked)
    assert trend.filter(pl.col("theme") == "corruption")["period"].to_list() == periods
    counted = direct(full_build, f"""
        SELECT pt.theme, r.{period_type} AS period,
               count(*) AS paragraphs,
               count(*) FILTER (p.kind = 'preambular') AS preambular,
               count(*) FILTER (p.kind = 'operative') AS operative,
               count(DISTINCT p.symbol) AS resolutions
        FROM core.bridge_paragraph_theme AS pt JOIN core.fact_paragraph AS p USING (paragraph_key)
        JOIN core.dim_resolution AS r ON r.symbol = p.symbol
        WHERE pt.theme IN ('corruption', 'wildlife_crime', 'cybercrime')
        GROUP BY 1, 2""")
    expected = {(r["theme"], r["period"]): r for r in counted.iter_rows(named=True)}
    all_paragraphs = dict(direct(full_build, f"""
        SELECT r.{period_type}, count(*) FROM core.fact_paragraph AS p
        JOIN core.dim_resolution AS r ON r.symbol = p.symbol GROUP BY 1""").rows())
    coverage = {r[0]: r[1:] for r in direct(full_build, """
        SELECT period, coverage, is_complete, is_partial FROM marts.period_coverage
        WHERE period_type = ?""", [period_type]).rows()}
    for row in trend.iter_rows(named=True):
        e = expected.get((row["theme"], row["period"]), {"paragraphs": 0, "preambular": 0, "operative": 0,
                                                           "resolutions": 0})
        assert (row["paragraphs"], row["preambular_paragraphs"], row["operative_paragraphs"],
                row["resolutions"]) == (e["paragraphs"], e["preambular"], e["operative"], e["resolutions"]), row
        assert row["all_paragraphs"] == all_paragraphs[row["period"]]
        assert row["paragraph_share"] == pytest.approx(row["paragraphs"] / row["all_paragraphs"])
        assert (row["coverage"], row["is_complete"], row["is_partial"]) == coverage[row["period"]]
    flagged = set(trend.filter(pl.col("is_partial"))["period"].to_list())
    assert flagged == (PARTIAL_YEARS if period_type == "year" else set())


def test_theme_verbs_are_the_most_used_operative_verbs(full_build):
    verbs = q(full_build, "theme_verbs", themes=["corruption", "environmental_crime"], top=5)
    for theme in ("corruption", "environmental_crime"):
        part = verbs.filter(pl.col("theme") == theme)
        assert part.height == 5
        assert part["paragraphs"].to_list() == sorted(part["paragraphs"].to_list(), reverse=True)
    counted = direct(full_build, """
        SELECT p.verb, count(*) AS n FROM core.bridge_paragraph_theme AS pt
        JOIN core.fact_paragraph AS p USING (paragraph_key)
        WHERE pt.theme = 'corruption' AND p.kind = 'operative' AND p.verb IS NOT NULL
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1""").row(0)
    top = verbs.filter(pl.col("theme") == "corruption").row(0, named=True)
    assert (top["verb"], top["paragraphs"]) == counted


# ------------------------------------------------------------------------------ search

def test_search_for_wildlife_finds_paragraphs_of_78_229_with_the_word_marked(full_build):
    hits = q(full_build, "search_paragraphs", query="wildlife", limit=100, per_resolution=None)
    assert hits.height == 100
    assert "A/RES/78/229" in hits["symbol"].to_list()
    for hit in hits.iter_rows(named=True):
        words = [hit["text"][s:e] for s, e in hit["spans"]]
        assert words and all(w.lower() == "wildlife" for w in words), (hit["symbol"], words)
        assert hit["paragraph"].split(" ")[0] in {"pre", "op", "annex"}
        marked = render.highlight_html(hit["text"], hit["spans"])
        assert marked.count("<mark>") == len(words)
    # One round trip for all hits gives the same offsets as one call per paragraph.
    con = open_search(full_build.snapshot)
    try:
        for hit in hits.head(15).iter_rows(named=True):
            assert [list(s) for s in highlight_spans(hit["text"], "wildlife", con)] == hit["spans"]
    finally:
        con.close()
    # A paragraph of 78/229 as the page shows it: operative 66, "Also urges", year 2023.
    op66 = hits.filter((pl.col("symbol") == "A/RES/78/229") & (pl.col("paragraph") == "op 66"))
    assert op66.height == 1
    assert op66["lead_phrase"][0] == "Also urges" and op66["year"][0] == 2023


def test_search_caps_paragraphs_per_resolution_and_carries_the_totals(full_build):
    everything = q(full_build, "search_paragraphs", query="wildlife", year=2023, limit=500, per_resolution=None)
    hits = q(full_build, "search_paragraphs", query="wildlife", year=2023, limit=100)  # the page's default, 3
    assert hits["symbol"].value_counts()["count"].max() <= 3 and hits["symbol"].n_unique() > 1
    assert "A/RES/78/229" in set(hits["symbol"])
    expected = everything.filter(pl.int_range(pl.len()).over("symbol") < 3).head(100)
    assert hits["paragraph_key"].to_list() == expected["paragraph_key"].to_list()
    assert set(hits["total_paragraphs"]) == {everything.height}
    assert set(hits["total_resolutions"]) == {everything["symbol"].n_unique()}
    one = q(full_build, "search_paragraphs", query="wildlife", year=2023, limit=100, per_resolution=1)
    assert one["symbol"].to_list() == everything["symbol"].unique(maintain_order=True).to_list()[:100]
    assert q(full_build, "search_paragraphs", query="wildlife", year=2023, limit=500,
             per_resolution=0)["paragraph_key"].to_list() == everything["paragraph_key"].to_list()


def test_the_search_page_shows_the_totals_and_the_cap(full_build, monkeypatch):
    """The search page run by Streamlit's test runner: its totals line is `unga search`'s."""
    from streamlit.testing.v1 import AppTest

    from warehouse.search import totals, totals_line

    monkeypatch.setenv("UNGA_DATA_DIR", str(full_build.root))
    at = AppTest.from_string("from dashboards.views.search import page\npage()", default_timeout=60)
    at.run()
    at.text_input(key="search_q").set_value("wildlife").run()
    at.selectbox(key="search_year").set_value(2023).run()
    assert not at.exception
    assert at.selectbox(key="search_per_resolution").value == 3
    hits = q(full_build, "search_paragraphs", query="wildlife", year=2023, limit=100)
    line = totals_line(totals(hits, 3), '"All" per resolution shows every one')
    assert line.startswith(f"{hits.height} of ") and "at most 3 per resolution" in line
    assert any(line in m.value for m in at.markdown), [m.value for m in at.markdown]
    at.selectbox(key="search_per_resolution").set_value("All").run()
    assert not at.exception
    everything = q(full_build, "search_paragraphs", query="wildlife", year=2023, limit=100, per_resolution=None)
    line = totals_line(totals(everything, None))
    assert "every matching paragraph of each resolution" in line
    assert any(line in m.value for m in at.markdown), [m.value for m in at.markdown]


def test_search_filters_and_stemming(full_build):
    assert set(q(full_build, "search_paragraphs", query="wildlife", year=2023, limit=500)["year"]) == {2023}
    operative = q(full_build, "search_paragraphs", query="wildlife", kind="operative", limit=500)
    assert set(operative["kind"]) == {"operative"} and set(operative["paragraph"].str.slice(0, 3)) == {"op "}
    urges = q(full_build, "search_paragraphs", query="wildlife", verb="urges", limit=500)
    assert urges.height and set(urges["verb"]) == {"urges"}
    themed = q(full_build, "search_paragraphs", query="trafficking", theme="environmental_crime", limit=200)
    assert themed.height and all("environmental_crime" in t for t in themed["themes"].to_list())
    # Stemming: "trafficked" is marked for the query "trafficking".
    words = {h["text"][s:e].lower() for h in q(full_build, "search_paragraphs", query="trafficking",
                                                  limit=500).iter_rows(named=True) for s, e in h["spans"]}
    assert {"trafficking", "trafficked"} <= words
    with pytest.raises(ValueError):
        q(full_build, "search_paragraphs", query="wildlife", theme="no_such_theme")
    with pytest.raises(ValueError):
        q(full_build, "search_paragraphs", query="   ")
    assert q(full_build, "search_paragraphs", query="zzzyxq").is_empty()


def test_search_hits_carry_their_footnotes(full_build):
    hits = q(full_build, "search_paragraphs", query="wildlife", limit=500)
    with_notes = hits.filter(pl.col("footnotes").list.len() > 0)
    assert with_notes.height
    hit = with_notes.row(0, named=True)
    kind_ordinal = direct(full_build, """
        SELECT f.marker, f.text FROM core.fact_footnote AS f
        WHERE f.symbol = $symbol AND f.paragraph_kind = $kind AND f.paragraph_ordinal = $ordinal
        ORDER BY f.footnote_ordinal""", {"symbol": hit["symbol"], "kind": hit["kind"], "ordinal": hit["ordinal"]})
    assert len(hit["footnotes"]) == kind_ordinal.height
    for note, (marker, text) in zip(hit["footnotes"], kind_ordinal.rows()):
        assert note.startswith(marker) and text in note


def test_search_filter_lists(full_build):
    assert q(full_build, "search_years")["year"].to_list() == YEARS
    verbs = q(full_build, "search_verbs")
    assert {"requests", "urges", "recalling"} <= set(verbs["verb"])
    assert verbs["paragraphs"].to_list() == sorted(verbs["paragraphs"].to_list(), reverse=True)


# ----------------------------------------------------------------------------- lineage

def test_the_series_of_78_229_steps_from_74_177(full_build):
    found = q(full_build, "series_of_symbol", symbol="a/res/78/229 ")
    assert found.height == 1
    series_id = found["series_id"][0]
    adoptions = q(full_build, "series_adoptions", series_id=series_id)
    assert adoptions["symbol"].to_list() == ["A/RES/74/177", "A/RES/75/196", "A/RES/76/187", "A/RES/77/237",
                                             "A/RES/78/229"]
    assert adoptions["predecessor_symbol"].to_list() == [None, "A/RES/74/177", "A/RES/75/196", "A/RES/76/187",
                                                         "A/RES/77/237"]
    listed = q(full_build, "series_list").filter(pl.col("series_id") == series_id).row(0, named=True)
    assert listed["adoptions"] == 5 and listed["last_symbol"] == "A/RES/78/229"
    assert listed["changed"] == adoptions["changed"].sum()
    assert q(full_build, "series_of_symbol", symbol="A/RES/00/000").is_empty()


def test_lineage_from_77_237_to_78_229(full_build):
    rows = q(full_build, "lineage_step", symbol="A/RES/78/229")
    step = direct(full_build, "SELECT * FROM marts.series_step WHERE symbol = 'A/RES/78/229'").row(0, named=True)
    counts = dict(rows.group_by("status").len().rows())
    for status in ("unchanged", "changed", "new", "dropped"):
        assert counts.get(status, 0) == step[status], status
    assert set(rows["predecessor_symbol"]) == {"A/RES/77/237"}
    # Document order: kinds in turn, current paragraphs 1..n, each dropped paragraph right
    # after the current paragraph matched to the nearest kept predecessor paragraph before it.
    for kind in ("preambular", "operative"):
        part = rows.filter(pl.col("kind") == kind)
        kept = part.filter(pl.col("ordinal").is_not_null())
        assert kept["ordinal"].to_list() == list(range(1, kept.height + 1))
        matched = {r["predecessor_ordinal"]: r["ordinal"] for r in kept.iter_rows(named=True)
                   if r["predecessor_ordinal"] is not None}
        previous_ordinal = 0
        for r in part.iter_rows(named=True):
            if r["status"] != "dropped":
                previous_ordinal = r["ordinal"]
                continue
            before = [p for p in matched if p < r["predecessor_ordinal"]]
            assert previous_ordinal == (matched[max(before)] if before else 0), r
    # Both texts: the predecessor's is 77/237's paragraph, and the word diff made from the
    # two is the mart's own diff.
    prev = direct(full_build, "SELECT kind, ordinal, text FROM core.fact_paragraph WHERE symbol = 'A/RES/77/237'")
    prev_text = {(k, o): t for k, o, t in prev.rows()}
    changed = rows.filter(pl.col("status") == "changed")
    assert changed.height == step["changed"]
    for r in changed.iter_rows(named=True):
        assert r["predecessor_text"] == prev_text[(r["kind"], r["predecessor_ordinal"])]
        assert word_diff(r["predecessor_text"], r["text"]) == r["diff"]
        # The page renders the mart's diff: the same runs as the edit of the two texts.
        html = render.diff_html(r["diff"])
        assert "<del>" in html or "<ins>" in html
        expected = []
        for c in diff_chunks(r["predecessor_text"], r["text"]):
            if c["op"] == "equal":
                expected.append(render.esc(c["text"]))
            expected += [f"<del>{render.esc(c['removed'])}</del>"] if c.get("removed") else []
            expected += [f"<ins>{render.esc(c['added'])}</ins>"] if c.get("added") else []
        assert html == " ".join(expected)
    new = rows.filter(pl.col("status") == "new")
    assert new["predecessor_text"].null_count() == new.height
    # The first preambular paragraph now also reaffirms 77/237 (read off the resolution).
    first = rows.filter((pl.col("kind") == "preambular") & (pl.col("ordinal") == 1)).row(0, named=True)
    assert first["status"] == "changed" and "77/237" in first["text"] and "77/237" not in first["predecessor_text"]


# ---------------------------------------------------------------------------- mandates

def _coverage(paths: Paths, period_type: str) -> dict:
    rows = direct(paths, "SELECT period, label, coverage, is_complete, is_partial, partial_reason "
                         "FROM marts.period_coverage WHERE period_type = ?", [period_type])
    return {r[0]: r[1:] for r in rows.rows()}


def _assert_period_coverage(paths: Paths, frame: pl.DataFrame, period_type: str) -> None:
    """Every row carries its period's label and coverage; the partial ones are 2019 and
    2025 by year and none by session."""
    coverage = _coverage(paths, period_type)
    for row in frame.iter_rows(named=True):
        assert (row["period_label"], row["coverage"], row["is_complete"], row["is_partial"],
                row["partial_reason"]) == coverage[row["period"]], row
    assert set(frame["period_type"].to_list()) == {period_type}
    flagged = set(frame.filter(pl.col("is_partial"))["period"].to_list())
    assert flagged == (PARTIAL_YEARS if period_type == "year" else set())


@pytest.mark.parametrize("period_type, periods, mart, column", [
    ("session", SESSIONS, "marts.mandates_by_entity_session", "session"),
    ("year", YEARS, "marts.mandates_by_entity_year", "year"),
])
def test_mandates_per_entity_and_period(full_build, period_type, periods, mart, column):
    per_period = q(full_build, "mandates_by_entity_period", period_type=period_type)
    assert sorted(per_period["period"].unique().to_list()) == periods
    # Independently, from the mandates themselves.
    counted = direct(full_build, f"""
        SELECT actor_id, {column} AS period, count(DISTINCT (symbol, paragraph_ordinal)) AS mandates,
               count(DISTINCT symbol) AS resolutions
        FROM marts.mandates WHERE {column} IS NOT NULL GROUP BY 1, 2""")
    expected = {(a, y): (m, r) for a, y, m, r in counted.rows()}
    got = {(r["actor_id"], r["period"]): (r["mandates"], r["resolutions"]) for r in per_period.iter_rows(named=True)}
    assert got == expected
    # And from the mart (by year: both sessions of a year added up).
    summed = dict(direct(full_build, f"SELECT actor_id || '/' || {column}, sum(mandates) FROM {mart} "
                                     f"WHERE {column} IS NOT NULL GROUP BY all").rows())
    assert {f"{a}/{p}": m for (a, p), (m, _) in got.items()} == summed
    assert per_period["actor_id"][0] == "secretary_general"  # the most mandated first
    totals = per_period.group_by("actor_id").agg(pl.col("mandates").sum(), pl.col("total_mandates").first())
    assert totals.filter(pl.col("mandates") != pl.col("total_mandates")).is_empty()
    _assert_period_coverage(full_build, per_period, period_type)
    if period_type == "session":
        assert q(full_build, "mandates_by_entity_period").equals(per_period)  # sessions by default


def test_mandates_filters(full_build):
    unodc = q(full_build, "mandates", actor_id="unodc", period=2023, period_type="year")
    assert unodc.height and set(unodc["actor_id"]) == {"unodc"} and set(unodc["year"]) == {2023}
    session = q(full_build, "mandates", actor_id="unodc", period=78, limit=100000)
    assert session.height and set(session["session"]) == {78}
    cell = q(full_build, "mandates_by_entity_period").filter(
        (pl.col("actor_id") == "unodc") & (pl.col("period") == 78)).row(0, named=True)
    assert session.select(pl.struct("symbol", "paragraph_ordinal").n_unique()).item() == cell["mandates"]
    reports = q(full_build, "mandates", actor_id="secretary_general", reports_only=True, limit=50)
    assert reports.height == 50 and reports["report_requested"].all()
    assert reports["adopted_on"].to_list() == sorted(reports["adopted_on"].to_list(), reverse=True)
    every = q(full_build, "mandates", actor_id=None, period=None, limit=100000)
    assert every.height == direct(full_build, "SELECT count(*) AS n FROM marts.mandates")["n"][0]
    with pytest.raises(ValueError):
        q(full_build, "mandates", actor_id="unodc", period=2023, period_type="decade")


# --------------------------------------------------------------------------- citations

@pytest.mark.parametrize("period_type, periods, mart, column", [
    ("session", SESSIONS, "marts.instrument_citations_by_session", "session"),
    ("year", YEARS, "marts.instrument_citations_by_year", "year"),
])
def test_most_cited_instruments_over_time(full_build, period_type, periods, mart, column):
    trend = q(full_build, "citation_trend", types=list(queries.NAMED_INSTRUMENT_TYPES), top=8,
              period_type=period_type)
    ids = trend.unique("instrument_id", maintain_order=True)["instrument_id"].to_list()
    assert len(ids) == 8
    assert set(trend["instrument_type"]) <= set(queries.NAMED_INSTRUMENT_TYPES)
    for instrument in ids:  # every period shown, zeros included
        assert trend.filter(pl.col("instrument_id") == instrument)["period"].to_list() == periods
    totals = trend.group_by("instrument_id", maintain_order=True).agg(pl.col("resolutions").sum(),
                                                                      pl.col("total_resolutions").first())
    assert totals["resolutions"].to_list() == totals["total_resolutions"].to_list()
    assert totals["resolutions"].to_list() == sorted(totals["resolutions"].to_list(), reverse=True)
    # The counts are the mart's (by year: both sessions of a year added up).
    mart_rows = dict(direct(full_build, f"""
        SELECT instrument_id || '/' || {column}, sum(resolutions) FROM {mart}
        WHERE {column} IS NOT NULL AND list_contains(?, instrument_id) GROUP BY all""", [ids]).rows())
    for row in trend.iter_rows(named=True):
        assert row["resolutions"] == mart_rows.get(f"{row['instrument_id']}/{row['period']}", 0), row
    # Independently, from the bridge: the most cited named instrument and its citing resolutions.
    top = direct(full_build, """
        SELECT b.instrument_id, count(DISTINCT b.symbol) AS n FROM core.bridge_paragraph_instrument AS b
        JOIN core.dim_instrument AS i USING (instrument_id) WHERE i.source = 'registry'
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1""").row(0)
    assert ids[0] == top[0]
    _assert_period_coverage(full_build, trend, period_type)
    everything = q(full_build, "citation_trend", types=None, top=3, period_type=period_type)
    assert everything.unique("instrument_id").height == 3
    # The same instruments either way: the ranking is over the whole span.
    other = "year" if period_type == "session" else "session"
    assert q(full_build, "citation_trend", types=None, top=3, period_type=other).unique(
        "instrument_id", maintain_order=True)["instrument_id"].to_list() == everything.unique(
        "instrument_id", maintain_order=True)["instrument_id"].to_list()


@pytest.mark.parametrize("period_type, picked", [("session", [75, 78]), ("year", [2020, 2023, 2025])])
def test_citing_resolutions_match_the_trend(full_build, period_type, picked):
    trend = q(full_build, "citation_trend", types=None, top=5, period_type=period_type)
    for row in trend.filter(pl.col("period").is_in(picked)).iter_rows(named=True):
        citing = q(full_build, "citing_resolutions", instrument_id=row["instrument_id"], period=row["period"],
                   period_type=period_type)
        assert citing.height == row["resolutions"], row
        assert citing["paragraphs"].sum() == row["paragraphs"], row
        if period_type == "session" and citing.height:
            assert set(citing["session"].to_list()) == {row["period"]}
    span = q(full_build, "citation_span", types=["convention"], limit=20)
    assert span.height == 20 and set(span["instrument_type"]) == {"convention"}
    assert (span["first_year"] <= span["last_year"]).all()
    types = q(full_build, "instrument_types")
    assert set(queries.NAMED_INSTRUMENT_TYPES) <= set(types["instrument_type"])


# ------------------------------------------------------------------------------ status

def test_status_sessions_build_and_checks(full_build):
    sessions = q(full_build, "status_sessions")
    assert sessions["session"].to_list() == [74, 75, 76, 77, 78, 79]
    per_session = dict(direct(full_build, "SELECT session, count(*) FROM core.dim_resolution GROUP BY 1").rows())
    assert dict(zip(sessions["session"], sessions["resolutions"])) == per_session
    assert sessions["rejected"].sum() == direct(full_build, "SELECT count(*) AS n FROM ops.rejected "
                                                            "WHERE session IS NOT NULL")["n"][0]
    info = q(full_build, "build_info")
    assert info.height == 1 and info["sessions"][0] == "74,75,76,77,78,79"
    checks = q(full_build, "check_results")
    assert checks.height >= 7 and checks["violations"].sum() == 0
    assert "build_info" in q(full_build, "ops_tables")["table_name"].to_list()
    assert q(full_build, "rejected").height == direct(full_build, "SELECT count(*) AS n FROM ops.rejected")["n"][0]


def test_optional_ops_tables_are_shown_only_when_present(full_build):
    present = set(q(full_build, "ops_tables")["table_name"].to_list())
    for table in ("suite_result", "completeness"):
        found = q(full_build, "optional_ops", table=table)
        if table in present:
            assert found is not None and found.height == direct(full_build, f"SELECT * FROM ops.{table}").height
        else:
            assert found is None
    with pytest.raises(ValueError):
        q(full_build, "optional_ops", table="rejected; DROP TABLE x")


def test_quality_report_is_found_when_written(tmp_path):
    paths = Paths(tmp_path / "data")
    assert queries.quality_report(paths) is None
    assert queries.last_run(paths) is None
    folder = paths.reports / "20260101T000000Z"
    folder.mkdir(parents=True)
    (folder / "quality.md").write_text("# Quality\n", encoding="utf-8")
    (folder / "quality.html").write_text("<h1>Quality</h1>", encoding="utf-8")
    (paths.reports / "latest").symlink_to(folder.name)
    found = queries.quality_report(paths)
    assert found is not None and found.read_text(encoding="utf-8") == "<h1>Quality</h1>"


# ------------------------------------------------------------------------------ speed

def test_page_queries_are_fast(full_build, capsys):
    """Every page's queries, uncached, on the full build (the page cache then serves
    reruns from memory). Printed with -s; the bound is generous, for slow CI machines."""
    pages = {
        "environmental crime": [("env_crime_trend", {}), ("env_crime_trend", {"period_type": "year"}),
                                ("env_crime_resolutions", {"period": 78, "theme": "environmental_crime"})],
        "themes": [("themes", {}), ("theme_trend", {"themes": ["environmental_crime", "corruption"]}),
                   ("theme_verbs", {"themes": ["environmental_crime", "corruption"]})],
        "search": [("search_years", {}), ("search_verbs", {}), ("themes", {}),
                   ("search_paragraphs", {"query": "wildlife", "limit": 100})],
        "lineage": [("series_list", {}), ("series_of_symbol", {"symbol": "A/RES/78/229"}),
                    ("series_adoptions", {"series_id": "A/RES/74/177"}), ("lineage_step", {"symbol": "A/RES/78/229"})],
        "mandates": [("mandates_by_entity_period", {}), ("mandates", {"actor_id": "secretary_general", "limit": 1000})],
        "citations": [("instrument_types", {}), ("citation_trend", {"types": None, "top": 12}),
                      ("citing_resolutions", {"instrument_id": "agenda_2030", "period": 79}),
                      ("citation_span", {"types": None, "limit": 200})],
        "status": [("build_info", {}), ("status_sessions", {}), ("check_results", {}),
                   ("optional_ops", {"table": "suite_result"}), ("rejected", {})],
    }
    q(full_build, "build_info")  # the first open of the file pays for the OS cache
    lines = []
    for page, calls in pages.items():
        started = time.perf_counter()
        for name, params in calls:
            q(full_build, name, **params)
        seconds = time.perf_counter() - started
        lines.append(f"{page}: {seconds * 1000:.0f} ms")
        assert seconds < 10, (page, seconds)
    with capsys.disabled():
        print("\ndashboard page queries (uncached): " + ", ".join(lines))


# ------------------------------------------------------------------------------ render

def test_render_escapes_what_comes_from_the_data():
    text = 'Calls <script>alert("x")</script> & wildlife\ntrafficking'
    spans = [(text.index("wildlife"), text.index("wildlife") + 8)]
    html = render.highlight_html(text, spans)
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    assert "<mark>wildlife</mark><br>trafficking" in html
    assert render.highlight_html(text, [(5, 2), (0, 999)]) == render.highlight_html(text, [])
    diff = render.diff_html("[-Notes-] {+Welcomes+} <b> the report")
    assert diff == "<del>Notes</del> <ins>Welcomes</ins> &lt;b&gt; the report"


def test_csv_download_flattens_lists():
    frame = pl.DataFrame({"year": [2023], "symbols": [["A/RES/78/229", "A/RES/78/1"]],
                          "sessions": [[77, 78]], "spans": [[[1, 2], [5, 9]]]})
    text = render.csv_bytes(frame).decode("utf-8")
    assert text.splitlines() == ["year,symbols,sessions,spans", "2023,A/RES/78/229; A/RES/78/1,77; 78,1-2; 5-9"]
    assert render.short_label("wildlife_crime") == "Wildlife crime"
    assert render.undocs_url("A/RES/78/229") == "https://undocs.org/en/A/RES/78/229"
    assert render.undocs_url("A/RES/77/253 B") == "https://undocs.org/en/A/RES/77/253%20B"
