-- table: core.bridge_paragraph_theme
-- severity: error
-- Every bridge row points at a paragraph (or resolution) and a dimension row.
SELECT 'bridge_paragraph_theme -> fact_paragraph' AS relation, b.symbol || ' ' || b.paragraph_kind || ' ' || b.paragraph_ordinal AS key
FROM core.bridge_paragraph_theme b LEFT JOIN core.fact_paragraph p USING (paragraph_key)
WHERE p.paragraph_key IS NULL
UNION ALL
SELECT 'bridge_paragraph_theme -> dim_theme', b.theme
FROM core.bridge_paragraph_theme b LEFT JOIN core.dim_theme t USING (theme)
WHERE t.theme IS NULL
UNION ALL
SELECT 'bridge_paragraph_actor -> fact_paragraph', b.symbol || ' ' || b.paragraph_kind || ' ' || b.paragraph_ordinal
FROM core.bridge_paragraph_actor b LEFT JOIN core.fact_paragraph p USING (paragraph_key)
WHERE p.paragraph_key IS NULL
UNION ALL
SELECT 'bridge_paragraph_actor -> dim_actor', b.actor_id
FROM core.bridge_paragraph_actor b LEFT JOIN core.dim_actor a USING (actor_id)
WHERE a.actor_id IS NULL
UNION ALL
SELECT 'bridge_resolution_actor -> dim_resolution', b.symbol
FROM core.bridge_resolution_actor b LEFT JOIN core.dim_resolution r USING (resolution_key)
WHERE r.resolution_key IS NULL
UNION ALL
SELECT 'bridge_resolution_actor -> dim_actor', b.actor_id
FROM core.bridge_resolution_actor b LEFT JOIN core.dim_actor a USING (actor_id)
WHERE b.actor_id IS NOT NULL AND a.actor_id IS NULL
UNION ALL
SELECT 'bridge_paragraph_instrument -> fact_paragraph', b.symbol || ' ' || b.paragraph_kind || ' ' || b.paragraph_ordinal
FROM core.bridge_paragraph_instrument b LEFT JOIN core.fact_paragraph p USING (paragraph_key)
WHERE p.paragraph_key IS NULL
UNION ALL
SELECT 'bridge_paragraph_instrument -> dim_instrument', b.instrument_id
FROM core.bridge_paragraph_instrument b LEFT JOIN core.dim_instrument i USING (instrument_id)
WHERE i.instrument_id IS NULL
UNION ALL
SELECT 'mandates -> dim_actor', m.actor_id
FROM marts.mandates m LEFT JOIN core.dim_actor a USING (actor_id)
WHERE a.actor_id IS NULL
