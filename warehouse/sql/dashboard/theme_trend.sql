-- Dashboard, themes: the themes in $themes per GA session (marts.theme_trend_by_session)
-- or per calendar year (marts.theme_trend_by_year, both sessions of a year added up and
-- shares recomputed from the summed counts), as $period_type ('session' or 'year') says;
-- preambular against operative paragraphs, each row with its period's coverage
-- (marts.period_coverage: is_partial is what the charts mark "partial").
WITH by_year AS (
    SELECT theme,
           any_value(theme_label) AS theme_label,
           year AS period,
           sum(resolutions)::INTEGER AS resolutions,
           sum(paragraphs)::INTEGER AS paragraphs,
           sum(mentions)::INTEGER AS mentions,
           sum(preambular_paragraphs)::INTEGER AS preambular_paragraphs,
           sum(operative_paragraphs)::INTEGER AS operative_paragraphs,
           sum(annex_paragraphs)::INTEGER AS annex_paragraphs,
           sum(preambular_mentions)::INTEGER AS preambular_mentions,
           sum(operative_mentions)::INTEGER AS operative_mentions,
           sum(all_resolutions)::INTEGER AS all_resolutions,
           sum(all_paragraphs)::INTEGER AS all_paragraphs,
           sum(all_preambular_paragraphs)::INTEGER AS all_preambular_paragraphs,
           sum(all_operative_paragraphs)::INTEGER AS all_operative_paragraphs,
           coalesce(sum(resolutions) / nullif(sum(all_resolutions), 0), 0) AS resolution_share,
           coalesce(sum(paragraphs) / nullif(sum(all_paragraphs), 0), 0) AS paragraph_share,
           coalesce(sum(preambular_paragraphs) / nullif(sum(all_preambular_paragraphs), 0), 0) AS preambular_share,
           coalesce(sum(operative_paragraphs) / nullif(sum(all_operative_paragraphs), 0), 0) AS operative_share,
           list_sort(list_distinct(flatten(list(symbols)))) AS symbols
    FROM marts.theme_trend_by_year
    WHERE $period_type = 'year' AND list_contains($themes::VARCHAR[], theme) AND year IS NOT NULL
    GROUP BY theme, year
),
trend AS (
    SELECT 'year' AS period_type, * FROM by_year
    UNION ALL BY NAME
    SELECT 'session' AS period_type, theme, theme_label, session AS period, resolutions, paragraphs, mentions,
           preambular_paragraphs, operative_paragraphs, annex_paragraphs, preambular_mentions,
           operative_mentions, all_resolutions, all_paragraphs, all_preambular_paragraphs,
           all_operative_paragraphs, resolution_share, paragraph_share, preambular_share, operative_share,
           symbols
    FROM marts.theme_trend_by_session
    WHERE $period_type = 'session' AND list_contains($themes::VARCHAR[], theme) AND session IS NOT NULL
)
SELECT t.period_type, t.period, c.label AS period_label, t.theme, t.theme_label,
       t.resolutions, t.paragraphs, t.mentions, t.preambular_paragraphs, t.operative_paragraphs,
       t.annex_paragraphs, t.preambular_mentions, t.operative_mentions, t.all_resolutions, t.all_paragraphs,
       t.all_preambular_paragraphs, t.all_operative_paragraphs, t.resolution_share, t.paragraph_share,
       t.preambular_share, t.operative_share, t.symbols,
       c.coverage, c.is_complete, c.is_partial, c.partial_reason
FROM trend AS t
JOIN marts.period_coverage AS c USING (period_type, period)
ORDER BY t.theme, t.period;
