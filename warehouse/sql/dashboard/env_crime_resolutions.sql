-- Dashboard, environmental crime: the resolutions behind one point of the trend (a
-- period of $period_type, 'session' or 'year', and a theme), with how many of their
-- paragraphs speak of the theme and how.
WITH picked AS (
    SELECT DISTINCT unnest(symbols) AS symbol
    FROM marts.environmental_crime_trend_by_session
    WHERE $period_type = 'session' AND session = $period AND theme = $theme
    UNION
    SELECT DISTINCT unnest(symbols) AS symbol
    FROM marts.environmental_crime_trend
    WHERE $period_type = 'year' AND year = $period AND theme = $theme
),
tagged AS (
    SELECT pt.symbol,
           count(*)::INTEGER AS paragraphs,
           count(*) FILTER (pt.paragraph_kind = 'preambular')::INTEGER AS preambular_paragraphs,
           count(*) FILTER (pt.paragraph_kind = 'operative')::INTEGER AS operative_paragraphs,
           sum(pt.mentions)::INTEGER AS mentions
    FROM core.bridge_paragraph_theme AS pt
    WHERE pt.theme = $theme AND pt.symbol IN (SELECT symbol FROM picked)
    GROUP BY pt.symbol
)
SELECT r.symbol, r.title, r.adopted_on, r.session, r.committee,
       coalesce(t.paragraphs, 0) AS paragraphs,
       coalesce(t.preambular_paragraphs, 0) AS preambular_paragraphs,
       coalesce(t.operative_paragraphs, 0) AS operative_paragraphs,
       coalesce(t.mentions, 0) AS mentions
FROM picked
JOIN core.dim_resolution AS r USING (symbol)
LEFT JOIN tagged AS t USING (symbol)
ORDER BY mentions DESC, r.adopted_on, r.symbol;
