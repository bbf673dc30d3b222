"""The trend marts, checked against independent counts on the core tables.

The marts are SQL (warehouse/sql/marts); the expectations here are recomputed in
Polars from the core fact and bridge tables of the same published snapshot, so a
wrong join, a lost zero row or a double count in the SQL shows as a difference.
"""

from __future__ import annotations

import json

import polars as pl
import pytest
from click.testing import CliRunner

from orchestration.cli import main
from tests.conftest import frame

ENV_THEMES = {"environmental_crime", "wildlife_crime", "timber_crime", "waste_crime", "mineral_crime",
              "fisheries_crime", "pollution_crime"}


@pytest.fixture(scope="module")
def tagged(snap) -> pl.DataFrame:
    """Paragraph x theme, with the paragraph's year, session and kind, straight from core."""
    paragraphs = frame(snap, "SELECT paragraph_key, symbol, year, session, kind FROM core.fact_paragraph")
    themes = frame(snap, "SELECT paragraph_key, theme, mentions FROM core.bridge_paragraph_theme")
    return themes.join(paragraphs, on="paragraph_key", how="inner")


def test_environmental_crime_trend_answers_every_year_through_the_cli(full_build, snap):
    result = CliRunner().invoke(main, ["--data-dir", str(full_build.root), "sql",
                                       "select * from marts.environmental_crime_trend order by year", "--format",
                                       "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    years = {r[0] for r in snap.execute("SELECT DISTINCT year FROM core.dim_resolution WHERE year IS NOT NULL")
             .fetchall()}
    assert years == set(range(2019, 2026))
    # one row per year and theme, zeros included: 7 themes x 7 years
    assert {(r["year"], r["theme"]) for r in rows} == {(y, t) for y in years for t in ENV_THEMES}
    assert len(rows) == len(years) * len(ENV_THEMES)


def test_environmental_crime_trend_matches_an_independent_count(snap, tagged):
    mart = frame(snap, "SELECT * FROM marts.environmental_crime_trend")
    expected = (
        tagged.filter(pl.col("theme").is_in(ENV_THEMES))
        .group_by("theme", "year")
        .agg(resolutions=pl.col("symbol").n_unique(), paragraphs=pl.len(), mentions=pl.col("mentions").sum(),
             operative=(pl.col("kind") == "operative").sum(), symbols=pl.col("symbol").unique().sort())
    )
    joined = mart.join(expected, on=["theme", "year"], how="left")
    for row in joined.iter_rows(named=True):
        want = row["resolutions_right"] or 0
        assert row["resolutions"] == want, row
        assert row["paragraphs"] == (row["paragraphs_right"] or 0), row
        assert row["mentions"] == (row["mentions_right"] or 0), row
        assert row["operative_paragraphs"] == (row["operative"] or 0), row
        assert row["symbols"] == (row["symbols_right"] or []), row
    # the denominators: all resolutions adopted that year, whatever the session
    per_year = dict(snap.execute("SELECT year, count(*) FROM core.dim_resolution GROUP BY year").fetchall())
    for row in mart.iter_rows(named=True):
        assert row["all_resolutions"] == per_year[row["year"]]
        assert row["resolution_share"] == pytest.approx(row["resolutions"] / per_year[row["year"]])
    # a known point, verified by hand: 78/229 (crime prevention, December 2023) speaks of wildlife crime
    wildlife_2023 = mart.filter((pl.col("theme") == "wildlife_crime") & (pl.col("year") == 2023)).row(0, named=True)
    assert "A/RES/78/229" in wildlife_2023["symbols"]


def test_environmental_crime_trend_shows_years_without_mentions_as_zero(snap):
    # Pollution crime is rare: some years have no paragraph on it, and they are rows with 0.
    rows = snap.execute("SELECT year, paragraphs, symbols FROM marts.environmental_crime_trend "
                        "WHERE theme = 'pollution_crime' ORDER BY year").fetchall()
    assert len(rows) == 7
    zeros = [r for r in rows if r[1] == 0]
    assert zeros and all(r[2] == [] for r in zeros)
    changes = snap.execute("SELECT year, mentions, mentions_change FROM marts.environmental_crime_trend "
                           "WHERE theme = 'environmental_crime' ORDER BY year").fetchall()
    assert changes[0][2] is None
    for (_, before, _), (_, now, change) in zip(changes, changes[1:]):
        assert change == now - before


def test_theme_trend_by_year_is_a_complete_grid_with_correct_counts(snap, tagged):
    mart = frame(snap, "SELECT * FROM marts.theme_trend_by_year")
    themes = snap.execute("SELECT count(*) FROM core.dim_theme").fetchone()[0]
    year_sessions = frame(snap, "SELECT year, session, count(*) AS n FROM core.dim_resolution GROUP BY ALL")
    assert mart.height == themes * year_sessions.height
    assert mart.select(pl.col("resolution_share", "paragraph_share", "operative_share", "preambular_share")
                       ).to_numpy().max() <= 1
    expected = tagged.group_by("theme", "year", "session").agg(
        resolutions=pl.col("symbol").n_unique(), paragraphs=pl.len(), mentions=pl.col("mentions").sum(),
        preambular=(pl.col("kind") == "preambular").sum(), operative=(pl.col("kind") == "operative").sum())
    joined = mart.join(expected, on=["theme", "year", "session"], how="full", coalesce=True).fill_null(0)
    assert joined.filter(pl.col("resolutions") != pl.col("resolutions_right")).height == 0
    assert joined.filter(pl.col("paragraphs") != pl.col("paragraphs_right")).height == 0
    assert joined.filter(pl.col("mentions") != pl.col("mentions_right")).height == 0
    assert joined.filter(pl.col("preambular_paragraphs") != pl.col("preambular")).height == 0
    assert joined.filter(pl.col("operative_paragraphs") != pl.col("operative")).height == 0
    totals = mart.unique(["year", "session"]).join(year_sessions, on=["year", "session"])
    assert (totals["all_resolutions"] == totals["n"]).all()
    assert totals["all_resolutions"].sum() == snap.execute("SELECT count(*) FROM core.dim_resolution").fetchone()[0]


def test_operative_verb_mix_adds_up(snap):
    mix = frame(snap, "SELECT year, session, sum(share) AS s, sum(paragraphs) AS n FROM marts.operative_verb_by_year "
                       "GROUP BY ALL")
    assert mix["s"].to_list() == pytest.approx([1.0] * mix.height)
    total = snap.execute("SELECT count(*) FROM core.fact_paragraph WHERE kind = 'operative'").fetchone()[0]
    assert mix["n"].sum() == total
    top = snap.execute("SELECT verb FROM marts.operative_verb_by_year WHERE rank = 1").fetchall()
    # "(none)" leads in 2019: the annexed political declarations of 74/2, 74/3 and 74/15 number
    # their commitments without an italic lead phrase ("Scale up efforts to ...").
    assert {v for (v,) in top} <= {"requests", "encourages", "calls upon", "decides", "(none)"}
    # adverbs are not verbs: "Also requests" counts as "requests"
    assert snap.execute("SELECT count(*) FROM marts.operative_verb_by_year WHERE verb LIKE 'also%' "
                        "OR verb LIKE 'further%'").fetchone()[0] == 0


def test_theme_verbs_cover_the_themes_operative_paragraphs(snap):
    rows = snap.execute("""
        SELECT v.theme, v.year, v.session, sum(v.paragraphs), any_value(t.operative_paragraphs)
        FROM marts.theme_verb_by_year v JOIN marts.theme_trend_by_year t USING (theme, year, session)
        GROUP BY ALL""").fetchall()
    assert rows and all(r[3] == r[4] for r in rows)


def test_instrument_citations_rank_and_span(snap):
    top = snap.execute("SELECT instrument_id, resolutions FROM marts.instrument_citations_by_year "
                       "WHERE year = 2023 AND session = 78 AND rank = 1").fetchall()
    direct = snap.execute("""
        SELECT b.instrument_id, count(DISTINCT b.symbol) AS n
        FROM core.bridge_paragraph_instrument b JOIN core.fact_paragraph p USING (paragraph_key)
        WHERE p.year = 2023 AND p.session = 78 GROUP BY 1 ORDER BY 2 DESC LIMIT 1""").fetchone()
    assert top[0] == (direct[0], direct[1])
    bad = snap.execute("SELECT count(*) FROM marts.instrument_citation_span WHERE first_year > last_year "
                       "OR years_cited > last_year - first_year + 1").fetchone()[0]
    assert bad == 0
    # The Charter of the United Nations is cited every year.
    charter = snap.execute("SELECT first_year, last_year, years_cited FROM marts.instrument_citation_span "
                           "WHERE instrument_id = 'un_charter'").fetchone()
    assert charter == (2019, 2025, 7)
    spans = snap.execute("SELECT count(*) FROM marts.instrument_citation_span").fetchone()[0]
    assert spans == snap.execute("SELECT count(DISTINCT instrument_id) FROM core.bridge_paragraph_instrument"
                                 ).fetchone()[0]


def test_citation_edges_are_the_distinct_links(snap):
    edges, links = snap.execute("SELECT count(*), sum(citations) FROM marts.citation_edges").fetchone()
    distinct, total = snap.execute("SELECT count(DISTINCT (symbol, target_symbol)), count(*) "
                                   "FROM core.bridge_paragraph_citation").fetchone()
    assert (edges, links) == (distinct, total)
    inside = snap.execute("SELECT count(*) FROM marts.citation_edges WHERE target_in_warehouse AND target_symbol "
                          "NOT IN (SELECT symbol FROM core.dim_resolution)").fetchone()[0]
    assert inside == 0
    # 78/229 cites its predecessor 77/237
    assert snap.execute("SELECT count(*) FROM marts.citation_edges WHERE source_symbol = 'A/RES/78/229' "
                        "AND target_symbol = 'A/RES/77/237' AND target_in_warehouse").fetchone()[0] == 1


def test_mandates_by_entity_year_sum_to_the_mandates(snap):
    by_entity = snap.execute("SELECT sum(mandates), sum(reports_requested) FROM marts.mandates_by_entity_year"
                             ).fetchone()
    direct = snap.execute("SELECT count(DISTINCT (actor_id, symbol, paragraph_ordinal)), "
                          "count(DISTINCT (actor_id, symbol, paragraph_ordinal)) FILTER (WHERE report_requested) "
                          "FROM marts.mandates").fetchone()
    assert by_entity == direct
    sg = snap.execute("SELECT count(*) FROM marts.mandates_by_entity_year WHERE actor_id = 'secretary_general'"
                      ).fetchone()[0]
    assert sg >= 12  # the Secretary-General is asked to act in every year and session


def test_adoption_by_session_matches_the_resolutions_and_an_independent_vote_record(snap):
    rows = frame(snap, "SELECT * FROM marts.adoption_by_session ORDER BY session")
    assert rows["session"].to_list() == [74, 75, 76, 77, 78, 79]
    direct = frame(snap, "SELECT session, count(*) AS n, count(*) FILTER (vote_outcome = 'without_vote') AS wv "
                          "FROM core.dim_resolution GROUP BY session ORDER BY session")
    assert rows["resolutions"].to_list() == direct["n"].to_list()
    assert rows["without_vote"].to_list() == direct["wv"].to_list()
    assert (rows["without_vote"] + rows["recorded_vote"] + rows["outcome_unknown"] == rows["resolutions"]).all()
    # Most of the General Assembly's resolutions are adopted without a vote; contested ones pass
    # by a large majority: the medians of the recorded votes are far apart.
    assert (rows["without_vote_share"] > 0.5).all()
    assert (rows["median_in_favour"] > 3 * rows["median_against"]).all()
    # A/RES/78/229 was adopted without a vote (the XML, and the UN Digital Library's record).
    assert snap.execute("SELECT vote_outcome FROM core.dim_resolution WHERE symbol = 'A/RES/78/229'"
                        ).fetchone()[0] == "without_vote"
    coverage = frame(snap, "SELECT period AS session, coverage, is_complete FROM marts.period_coverage "
                            "WHERE period_type = 'session' ORDER BY period")
    assert rows.select("session", "coverage", "is_complete").equals(coverage)
