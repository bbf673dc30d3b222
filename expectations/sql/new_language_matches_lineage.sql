-- marts.new_language_by_year counts, per year, session and theme, the new and changed
-- paragraphs of marts.paragraph_lineage tagged with the theme (core.bridge_paragraph_theme),
-- and the resolutions holding them (its symbols).
WITH x AS (
    SELECT p.year, p.session, b.theme,
           count(*) FILTER (WHERE l.status = 'new') AS new_paragraphs,
           count(*) FILTER (WHERE l.status = 'changed') AS changed_paragraphs,
           count(DISTINCT p.symbol) AS resolutions
    FROM marts.paragraph_lineage l
    JOIN core.fact_paragraph p ON p.symbol = l.symbol AND p.kind = l.kind AND p.ordinal = l.ordinal
    JOIN core.bridge_paragraph_theme b USING (paragraph_key)
    WHERE l.status IN ('new', 'changed')
    GROUP BY ALL
)
SELECT coalesce(n.year, x.year) AS year, coalesce(n.session, x.session) AS session, coalesce(n.theme, x.theme) AS theme
FROM marts.new_language_by_year n
FULL JOIN x ON x.year IS NOT DISTINCT FROM n.year AND x.session = n.session AND x.theme = n.theme
WHERE n.new_paragraphs IS DISTINCT FROM x.new_paragraphs OR n.changed_paragraphs IS DISTINCT FROM x.changed_paragraphs
   OR n.resolutions IS DISTINCT FROM x.resolutions OR len(n.symbols) IS DISTINCT FROM x.resolutions
