-- The paragraphs where a text version and its XML differ most: missing and extra
-- paragraphs first, then the least similar.
SELECT symbol, kind, xml_ordinal, text_ordinal, xml_number, text_number, status,
       similarity, number_match, lead_phrase_match, xml_lead_phrase, text_lead_phrase, diff
FROM core.text_reconciliation_paragraph
WHERE status <> 'same'
ORDER BY similarity NULLS FIRST, symbol, kind, coalesce(xml_ordinal, text_ordinal)
LIMIT $limit
