-- New and reworded language per year and theme, from the paragraph lineage: a paragraph
-- is counted under every theme it is tagged with (core.bridge_paragraph_theme).
DELETE FROM marts.new_language_by_year;
INSERT INTO marts.new_language_by_year BY NAME
SELECT p.year, p.session, t.theme,
       count(DISTINCT p.paragraph_key) FILTER (WHERE l.status = 'new') AS new_paragraphs,
       count(DISTINCT p.paragraph_key) FILTER (WHERE l.status = 'changed') AS changed_paragraphs,
       count(DISTINCT p.symbol) AS resolutions,
       list(DISTINCT p.symbol ORDER BY p.symbol) AS symbols
FROM marts.paragraph_lineage l
JOIN core.fact_paragraph p ON p.symbol = l.symbol AND p.kind = l.kind AND p.ordinal = l.ordinal
JOIN core.bridge_paragraph_theme t ON t.paragraph_key = p.paragraph_key
WHERE l.status IN ('new', 'changed')
GROUP BY p.year, p.session, t.theme;
