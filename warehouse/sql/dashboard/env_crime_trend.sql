-- Dashboard, environmental crime: the trend mart as it is, environmental crime itself
-- first, then each sub-theme, years in order.
SELECT year, theme, theme_label, is_parent, sessions, resolutions, paragraphs, mentions,
       preambular_paragraphs, operative_paragraphs, all_resolutions, all_paragraphs,
       resolution_share, paragraph_share, mentions_change, symbols
FROM marts.environmental_crime_trend
ORDER BY is_parent DESC, theme, year;
