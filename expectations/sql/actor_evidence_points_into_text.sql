-- An actor found in a paragraph is found at its position: matched_text stands in the
-- paragraph text at position (0-based).
SELECT b.symbol, b.paragraph_kind, b.paragraph_ordinal, b.actor_id, b.position, b.matched_text
FROM core.bridge_paragraph_actor b
JOIN core.fact_paragraph p USING (paragraph_key)
WHERE b.matched_text IS NOT NULL
  AND substr(p.text, b.position + 1, length(b.matched_text)) <> b.matched_text
