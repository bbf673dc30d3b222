-- marts.citation_edges has one edge per citing resolution and cited document of
-- core.bridge_paragraph_citation, with its counts (links, paragraphs, links in footnotes)
-- and the citing resolution's session and year.
WITH links AS (
    SELECT symbol, target_symbol, count(*) AS citations,
           count(DISTINCT (paragraph_kind, paragraph_ordinal)) AS paragraphs,
           count(*) FILTER (WHERE in_footnote) AS in_footnotes
    FROM core.bridge_paragraph_citation GROUP BY ALL
)
SELECT coalesce(e.source_symbol, l.symbol) AS source_symbol, coalesce(e.target_symbol, l.target_symbol) AS target_symbol
FROM marts.citation_edges e
FULL JOIN links l ON l.symbol = e.source_symbol AND l.target_symbol = e.target_symbol
LEFT JOIN core.dim_resolution r ON r.symbol = e.source_symbol
WHERE e.citations IS DISTINCT FROM l.citations OR e.paragraphs IS DISTINCT FROM l.paragraphs
   OR e.in_footnotes IS DISTINCT FROM l.in_footnotes
   OR r.symbol IS NULL OR r.session <> e.session OR r.year IS DISTINCT FROM e.year
