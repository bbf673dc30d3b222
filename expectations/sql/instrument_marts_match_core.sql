-- marts.instrument_citations_by_year and marts.instrument_citation_span count the rows of
-- core.bridge_paragraph_instrument (resolutions, paragraphs, citations; first and last
-- year, years cited) for instruments of core.dim_instrument (same name and type); ranks
-- are by resolutions within a year and session, ties sharing a rank.
WITH cited AS (
    SELECT b.instrument_id, p.year, p.session, count(DISTINCT p.symbol) AS resolutions,
           count(DISTINCT b.paragraph_key) AS paragraphs, count(*) AS citations
    FROM core.bridge_paragraph_instrument b JOIN core.fact_paragraph p USING (paragraph_key)
    GROUP BY ALL
), span AS (
    SELECT b.instrument_id, min(p.year) AS first_year, max(p.year) AS last_year,
           count(DISTINCT p.year) AS years_cited, count(DISTINCT p.symbol) AS resolutions,
           count(DISTINCT b.paragraph_key) AS paragraphs
    FROM core.bridge_paragraph_instrument b JOIN core.fact_paragraph p USING (paragraph_key)
    GROUP BY ALL
)
SELECT 'marts.instrument_citations_by_year' AS mart, coalesce(i.instrument_id, c.instrument_id) AS instrument_id,
       coalesce(i.year, c.year) AS year, coalesce(i.session, c.session) AS session
FROM marts.instrument_citations_by_year i
FULL JOIN cited c ON c.instrument_id = i.instrument_id AND c.year = i.year AND c.session = i.session
LEFT JOIN core.dim_instrument d ON d.instrument_id = i.instrument_id
WHERE i.resolutions IS DISTINCT FROM c.resolutions OR i.paragraphs IS DISTINCT FROM c.paragraphs
   OR i.citations IS DISTINCT FROM c.citations
   OR d.instrument_id IS NULL OR d.name <> i.name OR d.instrument_type <> i.instrument_type
UNION ALL
SELECT 'marts.instrument_citations_by_year', instrument_id, year, session
FROM (SELECT *, rank() OVER (PARTITION BY year, session ORDER BY resolutions DESC) AS expected
      FROM marts.instrument_citations_by_year)
WHERE rank <> expected
UNION ALL
SELECT 'marts.instrument_citation_span', coalesce(s.instrument_id, x.instrument_id), s.first_year, NULL
FROM marts.instrument_citation_span s
FULL JOIN span x USING (instrument_id)
LEFT JOIN core.dim_instrument d ON d.instrument_id = s.instrument_id
WHERE s.first_year IS DISTINCT FROM x.first_year OR s.last_year IS DISTINCT FROM x.last_year
   OR s.years_cited IS DISTINCT FROM x.years_cited OR s.resolutions IS DISTINCT FROM x.resolutions
   OR s.paragraphs IS DISTINCT FROM x.paragraphs
   OR d.instrument_id IS NULL OR d.name <> s.name OR d.instrument_type <> s.instrument_type
