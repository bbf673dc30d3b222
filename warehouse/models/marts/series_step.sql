-- step: global
-- depends: core.fact_paragraph, marts.series
-- code: transforms.lineage
-- builder: series_lineage

CREATE TABLE IF NOT EXISTS marts.series_step (
    series_id VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL,
    predecessor_symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    year INTEGER,
    unchanged INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    new INTEGER NOT NULL,
    dropped INTEGER NOT NULL,
    paragraphs INTEGER NOT NULL,
    predecessor_paragraphs INTEGER NOT NULL
);
