-- marts.period_coverage holds a row for every session loaded and every calendar year with
-- adoptions; its loaded counts are core.dim_resolution's (per session, and per year of
-- adoption); expected is loaded + missing, coverage loaded / expected; the symbol lists
-- are as long as their counts and name no loaded resolution; a complete period is closed,
-- has every session it holds loaded, nothing missing or uncertain and coverage 1, and
-- only an incomplete one gives a reason.
WITH periods AS (
    SELECT 'session' AS period_type, session AS period, count(*) AS loaded
    FROM core.dim_resolution GROUP BY session
    UNION ALL
    SELECT 'year', year, count(*) FROM core.dim_resolution WHERE year IS NOT NULL GROUP BY year
)
SELECT * FROM (
SELECT coalesce(c.period_type, p.period_type) AS period_type, coalesce(c.period, p.period) AS period,
       CASE WHEN c.period IS NULL THEN 'row missing'
            WHEN c.resolutions_loaded <> coalesce(p.loaded, 0) THEN 'loaded differs from core.dim_resolution'
            WHEN c.resolutions_expected <> c.resolutions_loaded + c.resolutions_missing THEN 'expected is not loaded + missing'
            WHEN abs(c.coverage - CASE WHEN c.resolutions_expected = 0 THEN 1
                                       ELSE c.resolutions_loaded / c.resolutions_expected END) > 1e-9
                THEN 'coverage is not loaded / expected'
            WHEN (c.coverage IS NULL) <> (c.resolutions_expected IS NULL) THEN 'coverage null without expected'
            WHEN len(c.missing_symbols) <> c.resolutions_missing THEN 'missing_symbols miscounted'
            WHEN len(c.uncertain_symbols) <> c.resolutions_uncertain THEN 'uncertain_symbols miscounted'
            WHEN EXISTS (SELECT 1 FROM core.dim_resolution r
                         WHERE list_contains(c.missing_symbols, r.symbol) OR list_contains(c.uncertain_symbols, r.symbol))
                THEN 'a loaded resolution listed as missing'
            WHEN c.is_complete AND NOT (c.is_closed AND c.resolutions_missing = 0 AND c.resolutions_uncertain = 0
                                        AND c.coverage = 1 AND list_sort(c.sessions) = list_sort(c.sessions_loaded))
                THEN 'complete but not closed, whole and fully loaded'
            WHEN c.is_complete <> (c.partial_reason IS NULL) THEN 'a reason without a partial period, or none with one'
            WHEN c.starts_on > c.ends_on OR c.first_adopted < c.starts_on OR c.last_adopted > c.ends_on
                THEN 'adoptions outside the period'
       END AS problem
FROM marts.period_coverage c
FULL JOIN periods p ON p.period_type = c.period_type AND p.period = c.period
)
WHERE problem IS NOT NULL
