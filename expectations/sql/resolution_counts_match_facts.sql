-- The paragraph and footnote counts of core.dim_resolution are the rows of
-- core.fact_paragraph (per kind) and core.fact_footnote.
WITH p AS (
    SELECT symbol,
           count(*) FILTER (WHERE kind = 'preambular') AS preambular,
           count(*) FILTER (WHERE kind = 'operative') AS operative,
           count(*) FILTER (WHERE kind = 'annex') AS annex
    FROM core.fact_paragraph GROUP BY symbol
), f AS (
    SELECT symbol, count(*) AS footnotes FROM core.fact_footnote GROUP BY symbol
)
SELECT r.symbol,
       r.preambular_paragraphs, coalesce(p.preambular, 0) AS preambular_rows,
       r.operative_paragraphs, coalesce(p.operative, 0) AS operative_rows,
       r.annex_paragraphs, coalesce(p.annex, 0) AS annex_rows,
       r.footnotes, coalesce(f.footnotes, 0) AS footnote_rows
FROM core.dim_resolution r
LEFT JOIN p USING (symbol)
LEFT JOIN f USING (symbol)
WHERE r.preambular_paragraphs IS DISTINCT FROM coalesce(p.preambular, 0)
   OR r.operative_paragraphs IS DISTINCT FROM coalesce(p.operative, 0)
   OR r.annex_paragraphs IS DISTINCT FROM coalesce(p.annex, 0)
   OR r.footnotes IS DISTINCT FROM coalesce(f.footnotes, 0)
