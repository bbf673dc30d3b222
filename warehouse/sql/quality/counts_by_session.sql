-- What each session holds in core and marts: the "counts per session" of the quality report.
WITH r AS (
    SELECT session, count(*) AS resolutions, count(*) FILTER (source_format = 'text') AS from_text
    FROM core.dim_resolution GROUP BY session
), p AS (
    SELECT session,
           count(*) FILTER (kind = 'preambular') AS preambular,
           count(*) FILTER (kind = 'operative') AS operative,
           count(*) FILTER (kind = 'annex') AS annex
    FROM core.fact_paragraph GROUP BY session
), f AS (
    SELECT session, count(*) AS footnotes FROM core.fact_footnote GROUP BY session
), c AS (
    SELECT session, count(*) AS citations FROM core.bridge_paragraph_citation GROUP BY session
), m AS (
    SELECT session, count(*) AS mandates FROM marts.mandates GROUP BY session
)
SELECT s.session,
       coalesce(r.resolutions, 0) AS resolutions,
       coalesce(r.from_text, 0) AS from_text,
       coalesce(p.preambular, 0) AS preambular,
       coalesce(p.operative, 0) AS operative,
       coalesce(p.annex, 0) AS annex,
       coalesce(f.footnotes, 0) AS footnotes,
       coalesce(c.citations, 0) AS citations,
       coalesce(m.mandates, 0) AS mandates
FROM core.dim_session s
LEFT JOIN r USING (session)
LEFT JOIN p USING (session)
LEFT JOIN f USING (session)
LEFT JOIN c USING (session)
LEFT JOIN m USING (session)
ORDER BY s.session
