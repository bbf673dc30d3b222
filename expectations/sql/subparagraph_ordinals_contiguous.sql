-- Sub-paragraphs are numbered 1, 2, 3 ... within their paragraph.
SELECT any_value(symbol) AS symbol, any_value(paragraph_kind) AS paragraph_kind,
       any_value(paragraph_ordinal) AS paragraph_ordinal, count(*) AS subparagraphs,
       max(sub_ordinal) AS last_sub_ordinal
FROM core.fact_subparagraph
GROUP BY paragraph_key
HAVING min(sub_ordinal) <> 1 OR max(sub_ordinal) <> count(*) OR count(DISTINCT sub_ordinal) <> count(*)
