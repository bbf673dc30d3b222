-- Every row of core.bridge_paragraph_instrument points at a paragraph that exists (its
-- paragraph_key), and names it the same way (symbol, paragraph_kind, paragraph_ordinal,
-- session).
SELECT b.symbol, b.paragraph_kind, b.paragraph_ordinal, b.paragraph_key
FROM core.bridge_paragraph_instrument b
LEFT JOIN core.fact_paragraph p USING (paragraph_key)
WHERE p.paragraph_key IS NULL OR p.symbol <> b.symbol OR p.kind <> b.paragraph_kind
   OR p.ordinal <> b.paragraph_ordinal OR p.session <> b.session
