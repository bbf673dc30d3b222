-- step: global
-- depends: core.bridge_paragraph_instrument, core.dim_instrument, core.fact_paragraph, marts._session_coverage, marts._session_totals

CREATE TABLE IF NOT EXISTS marts.instrument_citations_by_session (
    instrument_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    instrument_type VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    paragraphs INTEGER NOT NULL,
    citations INTEGER NOT NULL,
    rank INTEGER NOT NULL,                   -- 1 = cited by the most resolutions of the session
    all_resolutions INTEGER NOT NULL,
    all_paragraphs INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    paragraph_share DOUBLE NOT NULL,
    coverage DOUBLE,
    is_complete BOOLEAN NOT NULL
);

-- build
-- Instruments and documents cited per session.
INSERT INTO marts.instrument_citations_by_session BY NAME
SELECT x.*, s.all_resolutions, s.all_paragraphs,
       x.resolutions / greatest(s.all_resolutions, 1) AS resolution_share,
       x.paragraphs / greatest(s.all_paragraphs, 1) AS paragraph_share,
       c.coverage, coalesce(c.is_complete, false) AS is_complete
FROM (
    SELECT b.instrument_id, any_value(i.name) AS name,
           any_value(coalesce(i.instrument_type, b.instrument_type, 'document')) AS instrument_type,
           p.session,
           count(DISTINCT b.symbol) AS resolutions,
           count(DISTINCT b.paragraph_key) AS paragraphs,
           count(*) AS citations,
           rank() OVER (PARTITION BY p.session ORDER BY count(DISTINCT b.symbol) DESC) AS rank
    FROM core.bridge_paragraph_instrument b
    JOIN core.fact_paragraph p USING (paragraph_key)
    LEFT JOIN core.dim_instrument i USING (instrument_id)
    GROUP BY b.instrument_id, p.session
) x JOIN session_totals s USING (session)
LEFT JOIN session_coverage c USING (session);
