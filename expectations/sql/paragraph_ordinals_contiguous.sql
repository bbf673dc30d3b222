-- ordinal is "always 1, 2, 3 ..." within a resolution and kind: no gap, no repeat.
SELECT symbol, kind, count(*) AS paragraphs, min(ordinal) AS first_ordinal, max(ordinal) AS last_ordinal
FROM core.fact_paragraph
GROUP BY symbol, kind
HAVING min(ordinal) <> 1 OR max(ordinal) <> count(*) OR count(DISTINCT ordinal) <> count(*)
