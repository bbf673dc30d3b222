-- step: global
-- depends: core.bridge_paragraph_citation, core.dim_resolution
-- code: transforms.lineage
-- builder: series_lineage

-- Series of recurring resolutions and the paragraph-level lineage between consecutive
-- adoptions (transforms/lineage/).
CREATE TABLE IF NOT EXISTS marts.series (
    series_id VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    year INTEGER,
    position INTEGER NOT NULL,
    predecessor_symbol VARCHAR,
    link VARCHAR,
    title VARCHAR NOT NULL,
    sessions_skipped INTEGER
);
