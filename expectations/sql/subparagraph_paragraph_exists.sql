-- Every sub-paragraph hangs under a paragraph that exists, and names it the same way
-- (symbol, kind, ordinal, session).
SELECT s.symbol, s.paragraph_kind, s.paragraph_ordinal, s.sub_ordinal
FROM core.fact_subparagraph s
LEFT JOIN core.fact_paragraph p USING (paragraph_key)
WHERE p.paragraph_key IS NULL OR p.symbol <> s.symbol OR p.kind <> s.paragraph_kind
   OR p.ordinal <> s.paragraph_ordinal OR p.session <> s.session
