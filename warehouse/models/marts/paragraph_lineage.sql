-- step: global
-- depends: core.fact_paragraph, marts.series
-- code: transforms.lineage
-- builder: series_lineage

CREATE TABLE IF NOT EXISTS marts.paragraph_lineage (
    series_id VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL,
    predecessor_symbol VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    ordinal INTEGER,
    number VARCHAR,
    predecessor_ordinal INTEGER,
    predecessor_number VARCHAR,
    status VARCHAR NOT NULL,                 -- unchanged | changed | new | dropped
    similarity DOUBLE,
    diff VARCHAR,
    text VARCHAR NOT NULL
);
