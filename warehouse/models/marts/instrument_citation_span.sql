-- step: global
-- depends: core.bridge_paragraph_instrument, core.dim_instrument, core.fact_paragraph

CREATE TABLE IF NOT EXISTS marts.instrument_citation_span (
    instrument_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    instrument_type VARCHAR NOT NULL,
    first_year INTEGER NOT NULL,
    last_year INTEGER NOT NULL,
    years_cited INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    paragraphs INTEGER NOT NULL,
    first_symbol VARCHAR NOT NULL,
    last_symbol VARCHAR NOT NULL
);

-- build
-- When each instrument is cited: first and last year, in how many years and resolutions.
INSERT INTO marts.instrument_citation_span BY NAME
SELECT b.instrument_id, any_value(i.name) AS name,
       any_value(coalesce(i.instrument_type, b.instrument_type, 'document')) AS instrument_type,
       min(p.year) AS first_year, max(p.year) AS last_year,
       count(DISTINCT p.year) AS years_cited,
       count(DISTINCT b.symbol) AS resolutions,
       count(DISTINCT b.paragraph_key) AS paragraphs,
       arg_min(b.symbol, (p.year, b.symbol)) AS first_symbol,
       arg_max(b.symbol, (p.year, b.symbol)) AS last_symbol
FROM core.bridge_paragraph_instrument b
JOIN core.fact_paragraph p USING (paragraph_key)
LEFT JOIN core.dim_instrument i USING (instrument_id)
WHERE p.year IS NOT NULL
GROUP BY b.instrument_id;
