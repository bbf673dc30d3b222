-- The surrogate keys are the documented hashes of the natural keys, so they are the same in
-- every build and can be stored and joined across snapshots: resolution_key of the symbol,
-- paragraph_key of (symbol, kind, ordinal), footnote_key of (symbol, footnote_ordinal), as
-- the macros of warehouse/sql/ddl/001_schemas.sql compute them.
SELECT 'core.dim_resolution' AS table_name, symbol AS natural_key, resolution_key AS key
FROM core.dim_resolution
WHERE resolution_key <> (md5_number(symbol) >> 65)::BIGINT
UNION ALL
SELECT 'core.fact_paragraph', symbol || ' ' || kind || ' ' || ordinal, paragraph_key
FROM core.fact_paragraph
WHERE paragraph_key <> (md5_number(symbol || '|' || kind || '|' || ordinal) >> 65)::BIGINT
   OR resolution_key <> (md5_number(symbol) >> 65)::BIGINT
UNION ALL
SELECT 'core.fact_footnote', symbol || ' footnote ' || footnote_ordinal, footnote_key
FROM core.fact_footnote
WHERE footnote_key <> (md5_number(symbol || '|fn|' || footnote_ordinal) >> 65)::BIGINT
