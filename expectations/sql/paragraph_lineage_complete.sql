-- The lineage of a step accounts for every paragraph once: each paragraph of the resolution
-- and each paragraph of its predecessor appears in exactly one lineage row.
WITH cur AS (
    SELECT l.symbol, l.kind, l.ordinal, count(*) AS n FROM marts.paragraph_lineage l
    WHERE l.ordinal IS NOT NULL GROUP BY ALL
), pre AS (
    SELECT l.symbol, l.kind, l.predecessor_ordinal AS ordinal, count(*) AS n FROM marts.paragraph_lineage l
    WHERE l.predecessor_ordinal IS NOT NULL GROUP BY ALL
)
SELECT t.symbol, p.kind, p.ordinal, 'paragraph of the resolution in ' || coalesce(c.n, 0) || ' lineage rows' AS problem
FROM marts.series_step t
JOIN core.fact_paragraph p ON p.symbol = t.symbol
LEFT JOIN cur c ON c.symbol = t.symbol AND c.kind = p.kind AND c.ordinal = p.ordinal
WHERE coalesce(c.n, 0) <> 1
UNION ALL
SELECT t.symbol, p.kind, p.ordinal, 'paragraph of predecessor ' || t.predecessor_symbol || ' in ' || coalesce(c.n, 0) || ' lineage rows'
FROM marts.series_step t
JOIN core.fact_paragraph p ON p.symbol = t.predecessor_symbol
LEFT JOIN pre c ON c.symbol = t.symbol AND c.kind = p.kind AND c.ordinal = p.ordinal
WHERE coalesce(c.n, 0) <> 1
