-- Per theme: paragraphs and resolutions tagged, over all years (year NULL) and per
-- year of adoption. Every theme of core.dim_theme appears, untagged ones with zeros.
WITH tagged AS (
    SELECT t.theme, t.paragraph_key, t.symbol, r.year
    FROM core.bridge_paragraph_theme t
    JOIN core.dim_resolution r USING (symbol)
), per AS (
    SELECT theme, year, count(DISTINCT paragraph_key) AS paragraphs, count(DISTINCT symbol) AS resolutions
    FROM tagged
    GROUP BY GROUPING SETS ((theme), (theme, year))
)
SELECT d.theme, d.parent, d.label, per.year,
       coalesce(per.paragraphs, 0) AS paragraphs,
       coalesce(per.resolutions, 0) AS resolutions
FROM core.dim_theme d
LEFT JOIN per ON per.theme = d.theme
ORDER BY coalesce(d.parent, d.theme), d.parent NULLS FIRST, d.theme, per.year NULLS FIRST
