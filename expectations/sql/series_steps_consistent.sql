-- marts.series_step has one step per adoption that has a predecessor, with the series'
-- predecessor, session and year; its counts add up (unchanged + changed + new = paragraphs,
-- unchanged + changed + dropped = predecessor_paragraphs), are the paragraphs of the two
-- resolutions in core.fact_paragraph, and are the statuses counted in marts.paragraph_lineage.
WITH n AS (SELECT symbol, count(*) AS paragraphs FROM core.fact_paragraph GROUP BY symbol),
lineage AS (
    SELECT symbol,
           count(*) FILTER (WHERE status = 'unchanged') AS unchanged,
           count(*) FILTER (WHERE status = 'changed') AS changed,
           count(*) FILTER (WHERE status = 'new') AS new,
           count(*) FILTER (WHERE status = 'dropped') AS dropped
    FROM marts.paragraph_lineage GROUP BY symbol
)
SELECT coalesce(t.symbol, s.symbol) AS symbol,
       CASE WHEN t.symbol IS NULL THEN 'step missing' WHEN s.symbol IS NULL THEN 'step of no series member'
            ELSE 'fields or counts differ' END AS problem
FROM marts.series_step t
FULL JOIN (SELECT * FROM marts.series WHERE position > 1) s USING (symbol)
LEFT JOIN n cur ON cur.symbol = t.symbol
LEFT JOIN n pre ON pre.symbol = t.predecessor_symbol
LEFT JOIN lineage l ON l.symbol = t.symbol
WHERE t.symbol IS NULL OR s.symbol IS NULL
   OR t.predecessor_symbol <> s.predecessor_symbol OR t.series_id <> s.series_id
   OR t.session <> s.session OR t.year IS DISTINCT FROM s.year
   OR t.unchanged + t.changed + t.new <> t.paragraphs
   OR t.unchanged + t.changed + t.dropped <> t.predecessor_paragraphs
   OR t.paragraphs IS DISTINCT FROM cur.paragraphs
   OR t.predecessor_paragraphs IS DISTINCT FROM pre.paragraphs
   OR t.unchanged IS DISTINCT FROM coalesce(l.unchanged, 0) OR t.changed IS DISTINCT FROM coalesce(l.changed, 0)
   OR t.new IS DISTINCT FROM coalesce(l.new, 0) OR t.dropped IS DISTINCT FROM coalesce(l.dropped, 0)
