-- Dashboard, environmental crime: the trend marts as they are, per GA session
-- (marts.environmental_crime_trend_by_session) or calendar year
-- (marts.environmental_crime_trend) as $period_type says, environmental crime itself
-- first, then each sub-theme, periods in order; each row with its period's coverage
-- (marts.period_coverage: is_partial is what the charts mark "partial").
WITH trend AS (
    SELECT 'session' AS period_type, session AS period, theme, theme_label, is_parent, resolutions,
           paragraphs, mentions, preambular_paragraphs, operative_paragraphs, all_resolutions,
           all_paragraphs, resolution_share, paragraph_share, mentions_change, symbols
    FROM marts.environmental_crime_trend_by_session
    WHERE $period_type = 'session'
    UNION ALL
    SELECT 'year' AS period_type, year AS period, theme, theme_label, is_parent, resolutions,
           paragraphs, mentions, preambular_paragraphs, operative_paragraphs, all_resolutions,
           all_paragraphs, resolution_share, paragraph_share, mentions_change, symbols
    FROM marts.environmental_crime_trend
    WHERE $period_type = 'year'
)
SELECT t.period_type, t.period, c.label AS period_label, t.theme, t.theme_label, t.is_parent,
       t.resolutions, t.paragraphs, t.mentions, t.preambular_paragraphs, t.operative_paragraphs,
       t.all_resolutions, t.all_paragraphs, t.resolution_share, t.paragraph_share, t.mentions_change,
       t.symbols, c.coverage, c.is_complete, c.is_partial, c.partial_reason
FROM trend AS t
JOIN marts.period_coverage AS c USING (period_type, period)
WHERE t.period IS NOT NULL
ORDER BY t.is_parent DESC, t.theme, t.period;
