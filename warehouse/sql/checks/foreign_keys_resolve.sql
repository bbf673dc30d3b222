-- table: core.fact_paragraph
-- severity: error
-- Facts and bridges point at dimension rows that exist.
SELECT 'fact_paragraph -> dim_resolution' AS relation, p.symbol AS key
FROM core.fact_paragraph p LEFT JOIN core.dim_resolution r USING (resolution_key)
WHERE r.resolution_key IS NULL
UNION ALL
SELECT 'dim_resolution -> dim_session', r.symbol
FROM core.dim_resolution r LEFT JOIN core.dim_session s USING (session)
WHERE s.session IS NULL
UNION ALL
SELECT 'fact_subparagraph -> fact_paragraph', s.symbol || ' ' || s.paragraph_kind || ' ' || s.paragraph_ordinal
FROM core.fact_subparagraph s LEFT JOIN core.fact_paragraph p USING (paragraph_key)
WHERE p.paragraph_key IS NULL
UNION ALL
SELECT 'bridge_paragraph_citation -> fact_paragraph', c.symbol || ' ' || c.paragraph_kind || ' ' || c.paragraph_ordinal
FROM core.bridge_paragraph_citation c LEFT JOIN core.fact_paragraph p USING (paragraph_key)
WHERE p.paragraph_key IS NULL
UNION ALL
SELECT 'bridge_paragraph_citation.target_resolution_key -> dim_resolution', c.target_symbol
FROM core.bridge_paragraph_citation c LEFT JOIN core.dim_resolution r ON r.resolution_key = c.target_resolution_key
WHERE c.target_resolution_key IS NOT NULL AND r.resolution_key IS NULL
UNION ALL
SELECT 'bridge_resolution_sponsor -> dim_resolution', b.symbol
FROM core.bridge_resolution_sponsor b LEFT JOIN core.dim_resolution r USING (resolution_key)
WHERE r.resolution_key IS NULL
UNION ALL
SELECT 'bridge_resolution_vote -> dim_resolution', b.symbol
FROM core.bridge_resolution_vote b LEFT JOIN core.dim_resolution r USING (resolution_key)
WHERE r.resolution_key IS NULL
UNION ALL
SELECT 'bridge_resolution_keyword -> dim_resolution', b.symbol
FROM core.bridge_resolution_keyword b LEFT JOIN core.dim_resolution r USING (resolution_key)
WHERE r.resolution_key IS NULL
