-- table: core.fact_paragraph
-- severity: error
-- Every paragraph has text once normalised.
SELECT symbol, kind, ordinal FROM core.fact_paragraph WHERE trim(coalesce(text, '')) = ''
UNION ALL
SELECT symbol, paragraph_kind, paragraph_ordinal FROM core.fact_subparagraph WHERE trim(coalesce(text, '')) = ''
