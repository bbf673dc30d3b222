-- table: core.dim_resolution
-- severity: error
-- Each resolution once; each paragraph once per (symbol, kind, ordinal); keys unique.
-- `symbol` names the resolution a duplicate belongs to, so that resolution can be held
-- back; a surrogate key shared by two natural keys names none (a defect of the build).
SELECT 'core.dim_resolution' AS table_name, symbol AS key, count(*) AS rows, symbol
FROM core.dim_resolution GROUP BY symbol HAVING count(*) > 1
UNION ALL
SELECT 'core.dim_resolution', resolution_key::VARCHAR, count(*), NULL
FROM core.dim_resolution GROUP BY resolution_key HAVING count(*) > 1
UNION ALL
SELECT 'core.fact_paragraph', symbol || ' ' || kind || ' ' || ordinal, count(*), symbol
FROM core.fact_paragraph GROUP BY symbol, kind, ordinal HAVING count(*) > 1
UNION ALL
SELECT 'core.fact_paragraph', paragraph_key::VARCHAR, count(*), NULL
FROM core.fact_paragraph GROUP BY paragraph_key HAVING count(*) > 1
UNION ALL
SELECT 'core.fact_footnote', symbol || ' ' || footnote_ordinal, count(*), symbol
FROM core.fact_footnote GROUP BY symbol, footnote_ordinal HAVING count(*) > 1
UNION ALL
SELECT 'core.fact_subparagraph', symbol || ' ' || paragraph_kind || ' ' || paragraph_ordinal || ' ' || sub_ordinal,
       count(*), symbol
FROM core.fact_subparagraph GROUP BY symbol, paragraph_kind, paragraph_ordinal, sub_ordinal HAVING count(*) > 1
