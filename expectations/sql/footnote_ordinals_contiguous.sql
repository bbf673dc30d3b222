-- Footnotes are numbered 1, 2, 3 ... within their resolution.
SELECT symbol, count(*) AS footnotes, min(footnote_ordinal) AS first_ordinal, max(footnote_ordinal) AS last_ordinal
FROM core.fact_footnote
GROUP BY symbol
HAVING min(footnote_ordinal) <> 1 OR max(footnote_ordinal) <> count(*) OR count(DISTINCT footnote_ordinal) <> count(*)
