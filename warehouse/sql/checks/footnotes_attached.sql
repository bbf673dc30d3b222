-- table: core.fact_footnote
-- severity: error
-- Every footnote points at a paragraph that exists.
SELECT f.symbol, f.footnote_ordinal, f.marker, f.paragraph_kind, f.paragraph_ordinal
FROM core.fact_footnote f
LEFT JOIN core.fact_paragraph p ON p.paragraph_key = f.paragraph_key
WHERE p.paragraph_key IS NULL
