-- step: session
-- depends: core.dim_resolution, core.fact_paragraph

-- build
-- The denominators of the shares: everything adopted in each year of the session (a null
-- year, a resolution without an adoption date, has its own row, as the mandates keep it).
CREATE OR REPLACE TEMP TABLE year_totals AS
SELECT r.year,
       count(DISTINCT r.symbol) AS all_resolutions,
       count(p.paragraph_key) AS all_paragraphs,
       count(p.paragraph_key) FILTER (WHERE p.kind = 'preambular') AS all_preambular_paragraphs,
       count(p.paragraph_key) FILTER (WHERE p.kind = 'operative') AS all_operative_paragraphs
FROM core.dim_resolution r LEFT JOIN core.fact_paragraph p ON p.symbol = r.symbol AND p.session = $session
WHERE r.session = $session
GROUP BY r.year;
