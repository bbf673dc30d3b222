-- marts.paragraph_search has one row per paragraph of core.fact_paragraph, with the
-- paragraph's own fields, its resolution's title, a theme per row of
-- core.bridge_paragraph_theme and a footnote per footnote of the paragraph.
WITH themes AS (SELECT paragraph_key, count(*) AS n FROM core.bridge_paragraph_theme GROUP BY paragraph_key)
SELECT coalesce(s.symbol, p.symbol) AS symbol, coalesce(s.kind, p.kind) AS kind, coalesce(s.ordinal, p.ordinal) AS ordinal,
       CASE WHEN s.paragraph_key IS NULL THEN 'paragraph missing' WHEN p.paragraph_key IS NULL THEN 'not a paragraph'
            ELSE 'fields differ' END AS problem
FROM marts.paragraph_search s
FULL JOIN core.fact_paragraph p USING (paragraph_key)
LEFT JOIN core.dim_resolution r ON r.resolution_key = p.resolution_key
LEFT JOIN themes t ON t.paragraph_key = p.paragraph_key
WHERE s.paragraph_key IS NULL OR p.paragraph_key IS NULL
   OR s.symbol <> p.symbol OR s.kind <> p.kind OR s.ordinal <> p.ordinal OR s.session <> p.session
   OR s.year IS DISTINCT FROM p.year OR s.number IS DISTINCT FROM p.number
   OR s.lead_phrase IS DISTINCT FROM p.lead_phrase OR s.verb IS DISTINCT FROM p.verb
   OR s.title IS DISTINCT FROM r.title
   OR len(s.themes) <> coalesce(t.n, 0) OR len(s.footnotes) <> p.footnotes
