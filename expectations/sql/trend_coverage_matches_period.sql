-- Every trend row carries its period's coverage and is_complete from marts.period_coverage:
-- the calendar year's for the marts by year, the session's for the marts by session (false,
-- with no coverage, for a row without a year).
WITH years AS (
    SELECT period AS year, coverage, is_complete FROM marts.period_coverage WHERE period_type = 'year'
), sessions AS (
    SELECT period AS session, coverage, is_complete FROM marts.period_coverage WHERE period_type = 'session'
), by_year AS (
    SELECT 'marts.theme_trend_by_year' AS mart, year, coverage, is_complete FROM marts.theme_trend_by_year
    UNION ALL SELECT 'marts.theme_verb_by_year', year, coverage, is_complete FROM marts.theme_verb_by_year
    UNION ALL SELECT 'marts.operative_verb_by_year', year, coverage, is_complete FROM marts.operative_verb_by_year
    UNION ALL SELECT 'marts.instrument_citations_by_year', year, coverage, is_complete
              FROM marts.instrument_citations_by_year
    UNION ALL SELECT 'marts.mandates_by_entity_year', year, coverage, is_complete FROM marts.mandates_by_entity_year
    UNION ALL SELECT 'marts.environmental_crime_trend', year, coverage, is_complete FROM marts.environmental_crime_trend
    UNION ALL SELECT 'marts.new_language_by_year', year, coverage, is_complete FROM marts.new_language_by_year
), by_session AS (
    SELECT 'marts.theme_trend_by_session' AS mart, session, coverage, is_complete FROM marts.theme_trend_by_session
    UNION ALL SELECT 'marts.theme_verb_by_session', session, coverage, is_complete FROM marts.theme_verb_by_session
    UNION ALL SELECT 'marts.operative_verb_by_session', session, coverage, is_complete FROM marts.operative_verb_by_session
    UNION ALL SELECT 'marts.instrument_citations_by_session', session, coverage, is_complete
              FROM marts.instrument_citations_by_session
    UNION ALL SELECT 'marts.mandates_by_entity_session', session, coverage, is_complete
              FROM marts.mandates_by_entity_session
    UNION ALL SELECT 'marts.environmental_crime_trend_by_session', session, coverage, is_complete
              FROM marts.environmental_crime_trend_by_session
    UNION ALL SELECT 'marts.new_language_by_session', session, coverage, is_complete FROM marts.new_language_by_session
)
SELECT m.mart, m.year AS period, count(*) AS rows_
FROM by_year m LEFT JOIN years y USING (year)
WHERE m.coverage IS DISTINCT FROM y.coverage OR m.is_complete IS DISTINCT FROM coalesce(y.is_complete, false)
GROUP BY ALL
UNION ALL
SELECT m.mart, m.session, count(*)
FROM by_session m LEFT JOIN sessions s USING (session)
WHERE s.session IS NULL OR m.coverage IS DISTINCT FROM s.coverage OR m.is_complete IS DISTINCT FROM s.is_complete
GROUP BY ALL
