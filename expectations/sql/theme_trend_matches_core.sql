-- marts.theme_trend_by_year is complete and right: one row for every theme and every (year,
-- session) that has resolutions (zeros kept, so gaps show), with the denominators of
-- core.dim_resolution and the counts of core.bridge_paragraph_theme.
WITH grid AS (
    SELECT t.theme, r.year, r.session, count(*) AS all_resolutions,
           sum(r.preambular_paragraphs + r.operative_paragraphs + r.annex_paragraphs) AS all_paragraphs
    FROM core.dim_theme t CROSS JOIN core.dim_resolution r
    WHERE r.year IS NOT NULL
    GROUP BY ALL
), tagged AS (
    SELECT b.theme, p.year, p.session, count(*) AS paragraphs, sum(b.mentions) AS mentions,
           count(DISTINCT p.symbol) AS resolutions
    FROM core.bridge_paragraph_theme b JOIN core.fact_paragraph p USING (paragraph_key)
    GROUP BY ALL
)
SELECT coalesce(g.theme, m.theme) AS theme, coalesce(g.year, m.year) AS year, coalesce(g.session, m.session) AS session,
       CASE WHEN m.theme IS NULL THEN 'row missing' WHEN g.theme IS NULL THEN 'row not expected' ELSE 'counts differ' END AS problem
FROM grid g
FULL JOIN marts.theme_trend_by_year m USING (theme, year, session)
LEFT JOIN tagged x ON x.theme = coalesce(g.theme, m.theme) AND x.year = coalesce(g.year, m.year)
                  AND x.session = coalesce(g.session, m.session)
WHERE g.theme IS NULL OR m.theme IS NULL
   OR m.all_resolutions <> g.all_resolutions OR m.all_paragraphs <> g.all_paragraphs
   OR m.paragraphs <> coalesce(x.paragraphs, 0) OR m.mentions <> coalesce(x.mentions, 0)
   OR m.resolutions <> coalesce(x.resolutions, 0)
