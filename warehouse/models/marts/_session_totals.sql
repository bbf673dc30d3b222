-- step: global
-- depends: core.dim_resolution, core.fact_paragraph

-- build
-- The denominators of the by-session shares: everything adopted in the session.
CREATE OR REPLACE TEMP TABLE session_totals AS
SELECT r.session,
       count(DISTINCT r.symbol) AS all_resolutions,
       count(p.paragraph_key) AS all_paragraphs,
       count(p.paragraph_key) FILTER (WHERE p.kind = 'operative') AS all_operative_paragraphs
FROM core.dim_resolution r LEFT JOIN core.fact_paragraph p ON p.symbol = r.symbol
GROUP BY r.session;
