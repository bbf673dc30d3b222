"""Counting by GA session, and saying how whole each period is (issue 15), on the full build.

The bundled data hold sessions 74 to 79: the calendar years 2019 (session 74's autumn only)
and 2025 (session 79's January to September only) are partial, and a year-on-year line
falls at both ends for that reason alone. marts.period_coverage says so, the trend marts
carry it, and the *_by_session marts count what analysts of the General Assembly count.
The checks here recompute from core or from the by-year marts, independently of the SQL.
"""

from __future__ import annotations

import polars as pl
import pytest

from tests.conftest import frame

SESSIONS = list(range(74, 80))
YEARS = list(range(2019, 2026))


@pytest.fixture(scope="module")
def periods(snap) -> pl.DataFrame:
    return frame(snap, "SELECT * FROM marts.period_coverage")


def _period(periods: pl.DataFrame, kind: str, period: int) -> dict:
    rows = periods.filter((pl.col("period_type") == kind) & (pl.col("period") == period)).to_dicts()
    assert len(rows) == 1, (kind, period)
    return rows[0]


def test_period_coverage_has_every_session_and_year(periods):
    assert sorted(periods.filter(pl.col("period_type") == "session")["period"]) == SESSIONS
    assert sorted(periods.filter(pl.col("period_type") == "year")["period"]) == YEARS
    assert periods.height == len(SESSIONS) + len(YEARS)


def test_loaded_counts_are_cores(snap, periods):
    by_session = dict(snap.execute("SELECT session, count(*) FROM core.dim_resolution GROUP BY 1").fetchall())
    by_year = dict(snap.execute("SELECT year, count(*) FROM core.dim_resolution WHERE year IS NOT NULL "
                                "GROUP BY 1").fetchall())
    for s in SESSIONS:
        assert _period(periods, "session", s)["resolutions_loaded"] == by_session[s], s
    for y in YEARS:
        assert _period(periods, "year", y)["resolutions_loaded"] == by_year[y], y


def test_the_partial_years_at_both_ends_say_why(periods):
    first, last = _period(periods, "year", 2019), _period(periods, "year", 2025)
    for row, absent in ((first, 73), (last, 80)):
        assert not row["is_complete"] and row["resolutions_expected"] is None and row["coverage"] is None
        assert row["is_partial"]
        assert absent not in row["sessions_loaded"] and absent in row["sessions"]
        assert f"session {absent}" in row["partial_reason"] and "not loaded" in row["partial_reason"]
    assert first["sessions_loaded"] == [74] and last["sessions_loaded"] == [79]
    # 2025 holds session 79's January-September part only: far fewer than a whole year.
    whole = [_period(periods, "year", y)["resolutions_loaded"] for y in range(2020, 2025)]
    assert last["resolutions_loaded"] < min(whole) / 2


def test_whole_periods_are_complete_and_the_others_say_why(periods):
    for row in periods.iter_rows(named=True):
        assert row["is_complete"] == (row["partial_reason"] is None), row
        assert not (row["is_partial"] and row["is_complete"]), row
        if row["is_complete"]:
            assert row["is_closed"] and row["resolutions_missing"] == row["resolutions_uncertain"] == 0
            assert row["resolutions_expected"] == row["resolutions_loaded"] and row["coverage"] == 1.0
        if row["resolutions_expected"] is not None:
            assert row["resolutions_expected"] == row["resolutions_loaded"] + row["resolutions_missing"]
        assert row["resolutions_missing"] == len(row["missing_symbols"])
        assert row["resolutions_uncertain"] == len(row["uncertain_symbols"])
    # Every year between the two partial ones holds both of its sessions.
    for y in range(2020, 2025):
        assert _period(periods, "year", y)["sessions_loaded"] == [y - 1946, y - 1945]


def test_missing_symbols_are_neither_loaded_nor_off_their_numbering(snap, periods):
    loaded = {r[0] for r in snap.execute("SELECT symbol FROM core.dim_resolution").fetchall()}
    named = {s for row in periods.iter_rows(named=True) for s in row["missing_symbols"] + row["uncertain_symbols"]}
    assert not named & loaded
    for symbol in named:  # each below the highest number its numbering shows
        label, number = symbol.split("/")[2], int(symbol.split("/")[3])
        highest = snap.execute("SELECT max(CAST(split_part(base_symbol, '/', 4) AS INTEGER)) FROM "
                               "core.dim_resolution WHERE session_label = ?", [label]).fetchone()[0]
        assert number < highest, symbol


def test_environmental_crime_by_session_is_a_grid_with_zeros(snap):
    mart = frame(snap, "SELECT * FROM marts.environmental_crime_trend_by_session")
    themes = {r[0] for r in snap.execute("SELECT theme FROM core.dim_theme WHERE theme = 'environmental_crime' "
                                         "OR parent = 'environmental_crime'").fetchall()}
    assert len(themes) > 1
    assert set(zip(mart["session"], mart["theme"])) == {(s, t) for s in SESSIONS for t in themes}
    assert mart.height == len(SESSIONS) * len(themes)
    assert (mart["resolutions"] == 0).any(), "a sub-theme absent from a session keeps its zero row"


def test_by_session_and_by_year_add_up_to_the_same_totals(snap):
    """Summed over their periods, each by-session mart and its by-year twin hold the same counts
    (a resolution is adopted in one session and one year, so even its counts of resolutions add)."""
    pairs = [
        ("environmental_crime_trend", "environmental_crime_trend_by_session", ["theme"],
         ["resolutions", "paragraphs", "mentions", "preambular_paragraphs", "operative_paragraphs"]),
        ("theme_trend_by_year", "theme_trend_by_session", ["theme"],
         ["resolutions", "paragraphs", "mentions", "preambular_paragraphs", "operative_paragraphs",
          "annex_paragraphs"]),
        ("theme_verb_by_year", "theme_verb_by_session", ["theme", "verb"], ["paragraphs", "mentions", "resolutions"]),
        ("operative_verb_by_year", "operative_verb_by_session", ["verb"], ["paragraphs", "resolutions"]),
        ("instrument_citations_by_year", "instrument_citations_by_session", ["instrument_id"],
         ["resolutions", "paragraphs", "citations"]),
        ("mandates_by_entity_year", "mandates_by_entity_session", ["actor_id"],
         ["mandates", "resolutions", "reports_requested"]),
        ("new_language_by_year", "new_language_by_session", ["theme"],
         ["new_paragraphs", "changed_paragraphs", "resolutions"]),
    ]
    for by_year, by_session, keys, measures in pairs:
        totals = [
            frame(snap, f"SELECT {', '.join(keys)}, {', '.join(f'sum({m})::BIGINT AS {m}' for m in measures)} "
                         f"FROM marts.{table} GROUP BY ALL").sort(keys)
            for table in (by_year, by_session)
        ]
        assert totals[0].height > 0, by_year
        assert totals[0].equals(totals[1]), (by_year, by_session)


def test_by_session_counts_match_core(snap):
    """theme_trend_by_session against an independent count from the core tables."""
    tagged = frame(snap, "SELECT t.theme, p.session, p.symbol, p.paragraph_key, t.mentions "
                          "FROM core.bridge_paragraph_theme t JOIN core.fact_paragraph p USING (paragraph_key)")
    expected = (tagged.group_by("theme", "session")
                .agg(pl.col("symbol").n_unique().alias("resolutions"), pl.len().alias("paragraphs"),
                     pl.col("mentions").sum().alias("mentions")))
    mart = frame(snap, "SELECT theme, session, resolutions, paragraphs, mentions FROM marts.theme_trend_by_session "
                        "WHERE paragraphs > 0")
    joined = expected.join(mart, on=["theme", "session"], how="full", coalesce=True, suffix="_mart")
    for col in ("resolutions", "paragraphs", "mentions"):
        bad = joined.filter(pl.col(col).cast(pl.Int64) != pl.col(f"{col}_mart").cast(pl.Int64)
                            | pl.col(col).is_null() | pl.col(f"{col}_mart").is_null())
        assert bad.height == 0, bad
    totals = dict(snap.execute("SELECT session, count(*) FROM core.dim_resolution GROUP BY 1").fetchall())
    shares = frame(snap, "SELECT session, resolutions, all_resolutions, resolution_share FROM "
                          "marts.theme_trend_by_session")
    for row in shares.iter_rows(named=True):
        assert row["all_resolutions"] == totals[row["session"]]
        assert row["resolution_share"] == pytest.approx(row["resolutions"] / row["all_resolutions"])


@pytest.mark.parametrize("table, period_type, column", [
    ("environmental_crime_trend", "year", "year"),
    ("theme_trend_by_year", "year", "year"),
    ("theme_verb_by_year", "year", "year"),
    ("operative_verb_by_year", "year", "year"),
    ("instrument_citations_by_year", "year", "year"),
    ("mandates_by_entity_year", "year", "year"),
    ("new_language_by_year", "year", "year"),
    ("environmental_crime_trend_by_session", "session", "session"),
    ("theme_trend_by_session", "session", "session"),
    ("theme_verb_by_session", "session", "session"),
    ("operative_verb_by_session", "session", "session"),
    ("instrument_citations_by_session", "session", "session"),
    ("mandates_by_entity_session", "session", "session"),
    ("new_language_by_session", "session", "session"),
])
def test_trend_rows_carry_their_periods_coverage(snap, table, period_type, column):
    differing = snap.execute(f"""
        SELECT count(*) FROM marts.{table} m
        LEFT JOIN marts.period_coverage c ON c.period_type = ? AND c.period = m.{column}
        WHERE m.coverage IS DISTINCT FROM c.coverage OR m.is_complete IS DISTINCT FROM coalesce(c.is_complete, false)
        """, [period_type]).fetchone()[0]
    rows = snap.execute(f"SELECT count(*) FROM marts.{table}").fetchone()[0]
    assert rows > 0 and differing == 0, (table, differing)


def test_the_partial_years_are_flagged_on_the_trend(snap):
    flags = dict(snap.execute("SELECT year, bool_or(is_complete) FROM marts.environmental_crime_trend "
                              "GROUP BY year").fetchall())
    assert not flags[2019] and not flags[2025]
    assert all(flags[y] is not None for y in YEARS)


def test_tally_matches_vote_list_flags_the_source_error(snap):
    assert snap.execute("SELECT tally_matches_vote_list, votes_abstaining, listed_abstaining FROM core.dim_resolution "
                        "WHERE symbol = 'A/RES/77/293'").fetchone() == (False, 59, 58)
    counts = dict(snap.execute("SELECT tally_matches_vote_list, count(*) FROM core.dim_resolution GROUP BY 1")
                  .fetchall())
    assert counts[False] == 1 and counts[True] > 400
    # Null exactly where there is nothing to compare: no recorded vote.
    assert snap.execute("SELECT count(*) FROM core.dim_resolution WHERE (tally_matches_vote_list IS NULL) "
                        "<> (vote_outcome IS DISTINCT FROM 'recorded_vote')").fetchone()[0] == 0
    # The listed counts are the vote bridge's.
    assert snap.execute("""
        SELECT count(*) FROM core.dim_resolution r
        LEFT JOIN (SELECT symbol, count(*) FILTER (vote = 'yes') AS y, count(*) FILTER (vote = 'no') AS n,
                          count(*) FILTER (vote = 'abstain') AS a FROM core.bridge_resolution_vote GROUP BY 1) v
          USING (symbol)
        WHERE r.vote_outcome = 'recorded_vote'
          AND (r.listed_in_favour, r.listed_against, r.listed_abstaining) IS DISTINCT FROM (v.y, v.n, v.a)
        """).fetchone()[0] == 0


def test_only_the_years_cut_by_the_loaded_sessions_are_partial(periods):
    """Partial in time is what a chart marks: sessions 74-79 are whole (all closed, all loaded),
    and of the years only 2019 and 2025, half in sessions 73 and 80, are partial."""
    partial = {(r["period_type"], r["period"]) for r in periods.iter_rows(named=True) if r["is_partial"]}
    assert partial == {("year", 2019), ("year", 2025)}
