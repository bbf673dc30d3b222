-- New and reworded language per year and theme, from the paragraph lineage: a paragraph
-- is counted under every theme it is tagged with (core.bridge_paragraph_theme).
-- Shares are of every paragraph adopted in the period, so a period that adopted more
-- does not look more innovative for it. Runs after build_rollups.sql (marts.period_coverage).
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

DELETE FROM marts.new_language_by_year;
INSERT INTO marts.new_language_by_year BY NAME
WITH totals AS (
    SELECT r.year, r.session, count(p.paragraph_key) AS all_paragraphs
    FROM core.dim_resolution r LEFT JOIN core.fact_paragraph p ON p.symbol = r.symbol
    GROUP BY r.year, r.session
)
SELECT n.year, n.session, n.theme, n.new_paragraphs, n.changed_paragraphs, len(n.symbols) AS resolutions, n.symbols,
       t.all_paragraphs,
       n.new_paragraphs / greatest(t.all_paragraphs, 1) AS new_share,
       n.changed_paragraphs / greatest(t.all_paragraphs, 1) AS changed_share,
       c.coverage, coalesce(c.is_complete, false) AS is_complete
FROM new_language n
JOIN totals t ON t.year IS NOT DISTINCT FROM n.year AND t.session = n.session
LEFT JOIN marts.period_coverage c ON c.period_type = 'year' AND c.period = n.year;

DELETE FROM marts.new_language_by_session;
INSERT INTO marts.new_language_by_session BY NAME
WITH totals AS (
    SELECT r.session, count(p.paragraph_key) AS all_paragraphs
    FROM core.dim_resolution r LEFT JOIN core.fact_paragraph p ON p.symbol = r.symbol
    GROUP BY r.session
), per_session AS (
    SELECT session, theme, sum(new_paragraphs) AS new_paragraphs, sum(changed_paragraphs) AS changed_paragraphs,
           list_sort(flatten(list(symbols))) AS symbols
    FROM new_language GROUP BY session, theme
)
SELECT n.session, n.theme, n.new_paragraphs, n.changed_paragraphs, len(n.symbols) AS resolutions, n.symbols,
       t.all_paragraphs,
       n.new_paragraphs / greatest(t.all_paragraphs, 1) AS new_share,
       n.changed_paragraphs / greatest(t.all_paragraphs, 1) AS changed_share,
       c.coverage, coalesce(c.is_complete, false) AS is_complete
FROM per_session n
JOIN totals t USING (session)
LEFT JOIN marts.period_coverage c ON c.period_type = 'session' AND c.period = n.session;
