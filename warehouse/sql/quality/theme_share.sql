-- Share of resolutions with at least one theme, per year of adoption and overall (year NULL).
SELECT r.year,
       count(*) AS resolutions,
       count(*) FILTER (EXISTS (SELECT 1 FROM core.bridge_paragraph_theme t WHERE t.symbol = r.symbol)) AS with_theme,
       with_theme / nullif(count(*), 0) AS share
FROM core.dim_resolution r
GROUP BY GROUPING SETS ((), (r.year))
ORDER BY r.year NULLS LAST
