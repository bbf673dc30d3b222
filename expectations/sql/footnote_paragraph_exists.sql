-- Every footnote is attached to a paragraph that exists, named the same way (symbol,
-- paragraph_kind, paragraph_ordinal, session).
SELECT f.symbol, f.footnote_ordinal, f.marker, f.paragraph_kind, f.paragraph_ordinal
FROM core.fact_footnote f
LEFT JOIN core.fact_paragraph p USING (paragraph_key)
WHERE p.paragraph_key IS NULL OR p.symbol <> f.symbol OR p.kind <> f.paragraph_kind
   OR p.ordinal <> f.paragraph_ordinal OR p.session <> f.session
