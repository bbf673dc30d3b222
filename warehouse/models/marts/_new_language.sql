-- step: global
-- depends: core.bridge_paragraph_theme, core.fact_paragraph, marts.paragraph_lineage

-- build
-- New and reworded language per year and theme, from the paragraph lineage: a paragraph
-- is counted under every theme it is tagged with (core.bridge_paragraph_theme).
-- Shares are of every paragraph adopted in the period, so a period that adopted more
-- does not look more innovative for it. Runs in the global step, after marts.period_coverage.
CREATE OR REPLACE TEMP TABLE new_language AS
SELECT p.year, p.session, t.theme,
       count(DISTINCT p.paragraph_key) FILTER (WHERE l.status = 'new') AS new_paragraphs,
       count(DISTINCT p.paragraph_key) FILTER (WHERE l.status = 'changed') AS changed_paragraphs,
       list(DISTINCT p.symbol ORDER BY p.symbol) AS symbols
FROM marts.paragraph_lineage l
JOIN core.fact_paragraph p ON p.symbol = l.symbol AND p.kind = l.kind AND p.ordinal = l.ordinal
JOIN core.bridge_paragraph_theme t ON t.paragraph_key = p.paragraph_key
WHERE l.status IN ('new', 'changed')
GROUP BY p.year, p.session, t.theme;
