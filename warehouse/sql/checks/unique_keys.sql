-- Each resolution once; each paragraph once per (symbol, kind, ordinal); keys unique.
SELECT 'core.dim_resolution' AS table_name, symbol AS key, count(*) AS rows
FROM core.dim_resolution GROUP BY symbol HAVING count(*) > 1
UNION ALL
SELECT 'core.dim_resolution', resolution_key::VARCHAR, count(*)
FROM core.dim_resolution GROUP BY resolution_key HAVING count(*) > 1
UNION ALL
SELECT 'core.fact_paragraph', symbol || ' ' || kind || ' ' || ordinal, count(*)
FROM core.fact_paragraph GROUP BY symbol, kind, ordinal HAVING count(*) > 1
UNION ALL
SELECT 'core.fact_paragraph', paragraph_key::VARCHAR, count(*)
FROM core.fact_paragraph GROUP BY paragraph_key HAVING count(*) > 1
UNION ALL
SELECT 'core.fact_footnote', symbol || ' ' || footnote_ordinal, count(*)
FROM core.fact_footnote GROUP BY symbol, footnote_ordinal HAVING count(*) > 1
UNION ALL
SELECT 'core.fact_subparagraph', symbol || ' ' || paragraph_kind || ' ' || paragraph_ordinal || ' ' || sub_ordinal, count(*)
FROM core.fact_subparagraph GROUP BY ALL HAVING count(*) > 1
