-- Dashboard, themes: the themes in $themes per calendar year, both sessions of a year
-- added up (marts.theme_trend_by_year is per year and session); preambular against
-- operative paragraphs, and shares recomputed from the summed counts.
SELECT theme,
       any_value(theme_label) AS theme_label,
       year,
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
WHERE list_contains($themes::VARCHAR[], theme) AND year IS NOT NULL
GROUP BY theme, year
ORDER BY theme, year;
