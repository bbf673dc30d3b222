-- marts.environmental_crime_trend has environmental_crime and each of its sub-themes for
-- every calendar year of the data (zeros kept), each row the sum of its year's sessions in
-- marts.theme_trend_by_year, with the change from the year before and shares that are the
-- counts over their denominators.
WITH family AS (
    SELECT theme FROM core.dim_theme WHERE theme = 'environmental_crime' OR parent = 'environmental_crime'
), years AS (
    SELECT DISTINCT year FROM core.dim_resolution WHERE year IS NOT NULL
), trend AS (
    SELECT theme, year, sum(resolutions) AS resolutions, sum(paragraphs) AS paragraphs, sum(mentions) AS mentions,
           sum(all_resolutions) AS all_resolutions, sum(all_paragraphs) AS all_paragraphs,
           list_sort(list(session)) AS sessions
    FROM marts.theme_trend_by_year WHERE theme IN (SELECT theme FROM family) GROUP BY ALL
), mart AS (
    SELECT *, mentions - lag(mentions) OVER (PARTITION BY theme ORDER BY year) AS expected_change
    FROM marts.environmental_crime_trend
)
SELECT coalesce(g.theme, e.theme) AS theme, coalesce(g.year, e.year) AS year,
       CASE WHEN e.theme IS NULL THEN 'row missing' WHEN g.theme IS NULL THEN 'row not expected' ELSE 'values differ' END AS problem
FROM (SELECT f.theme, y.year FROM family f CROSS JOIN years y) g
FULL JOIN mart e USING (theme, year)
LEFT JOIN trend t ON t.theme = coalesce(g.theme, e.theme) AND t.year = coalesce(g.year, e.year)
WHERE g.theme IS NULL OR e.theme IS NULL
   OR e.resolutions <> t.resolutions OR e.paragraphs <> t.paragraphs OR e.mentions <> t.mentions
   OR e.all_resolutions <> t.all_resolutions OR e.all_paragraphs <> t.all_paragraphs
   OR e.sessions <> t.sessions
   OR e.mentions_change IS DISTINCT FROM e.expected_change
   OR e.is_parent <> (e.theme = 'environmental_crime')
   OR len(e.symbols) <> e.resolutions
   OR abs(e.resolution_share - e.resolutions / nullif(e.all_resolutions, 0)) > 1e-9
   OR abs(e.paragraph_share - e.paragraphs / nullif(e.all_paragraphs, 0)) > 1e-9
