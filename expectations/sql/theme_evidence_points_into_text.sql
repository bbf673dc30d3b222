-- A theme tag's evidence is real: matched and positions have one entry per mention, and
-- each position is where its matched phrase stands in the paragraph text (case aside).
WITH m AS (
    SELECT paragraph_key, symbol, paragraph_kind, paragraph_ordinal, theme,
           unnest(matched) AS phrase, unnest(positions) AS pos
    FROM core.bridge_paragraph_theme
)
SELECT b.symbol, b.paragraph_kind, b.paragraph_ordinal, b.theme, 'mentions, matched and positions differ in number' AS problem
FROM core.bridge_paragraph_theme b
WHERE len(b.matched) <> b.mentions OR len(b.positions) <> b.mentions
UNION ALL
SELECT m.symbol, m.paragraph_kind, m.paragraph_ordinal, m.theme, 'position ' || m.pos || ' does not hold ' || m.phrase
FROM m JOIN core.fact_paragraph p USING (paragraph_key)
WHERE lower(substr(p.text, m.pos + 1, length(m.phrase))) <> lower(m.phrase)
