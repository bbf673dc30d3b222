-- A paragraph's subparagraphs and footnotes columns count its rows in
-- core.fact_subparagraph and core.fact_footnote.
WITH s AS (SELECT paragraph_key, count(*) AS n FROM core.fact_subparagraph GROUP BY paragraph_key),
     f AS (SELECT paragraph_key, count(*) AS n FROM core.fact_footnote GROUP BY paragraph_key)
SELECT p.symbol, p.kind, p.ordinal, p.subparagraphs, coalesce(s.n, 0) AS subparagraph_rows,
       p.footnotes, coalesce(f.n, 0) AS footnote_rows
FROM core.fact_paragraph p
LEFT JOIN s USING (paragraph_key)
LEFT JOIN f USING (paragraph_key)
WHERE p.subparagraphs IS DISTINCT FROM coalesce(s.n, 0) OR p.footnotes IS DISTINCT FROM coalesce(f.n, 0)
