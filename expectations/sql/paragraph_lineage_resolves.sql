-- Every lineage row belongs to a step of marts.series_step (same series and predecessor),
-- and its paragraphs exist in core.fact_paragraph with the numbers it shows: the current
-- one (none for a dropped paragraph) in the resolution, the matched one (none for a new
-- paragraph) in the predecessor.
SELECT l.symbol, l.kind, l.ordinal, l.predecessor_ordinal, l.status,
       CASE WHEN t.symbol IS NULL THEN 'no matching series step'
            WHEN l.ordinal IS NOT NULL AND p.symbol IS NULL THEN 'paragraph not in core.fact_paragraph'
            WHEN l.predecessor_ordinal IS NOT NULL AND q.symbol IS NULL THEN 'predecessor paragraph not in core.fact_paragraph'
            ELSE 'number differs' END AS problem
FROM marts.paragraph_lineage l
LEFT JOIN marts.series_step t ON t.symbol = l.symbol AND t.predecessor_symbol = l.predecessor_symbol
                             AND t.series_id = l.series_id
LEFT JOIN core.fact_paragraph p ON p.symbol = l.symbol AND p.kind = l.kind AND p.ordinal = l.ordinal
LEFT JOIN core.fact_paragraph q ON q.symbol = l.predecessor_symbol AND q.kind = l.kind AND q.ordinal = l.predecessor_ordinal
WHERE t.symbol IS NULL
   OR (l.ordinal IS NOT NULL AND (p.symbol IS NULL OR p.number IS DISTINCT FROM l.number))
   OR (l.predecessor_ordinal IS NOT NULL AND (q.symbol IS NULL OR q.number IS DISTINCT FROM l.predecessor_number))
