-- step: enrich
-- depends: core.bridge_paragraph_citation, core.fact_footnote, core.fact_paragraph
-- code: transforms.instruments, transforms/reference/instruments.yaml
-- builder: enrich

CREATE TABLE IF NOT EXISTS core.bridge_paragraph_instrument (
    paragraph_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    paragraph_kind VARCHAR NOT NULL,
    paragraph_ordinal INTEGER NOT NULL,
    instrument_id VARCHAR NOT NULL,
    instrument_type VARCHAR,
    relation VARCHAR,
    via VARCHAR NOT NULL,                    -- text | link | footnote
    matched_text VARCHAR,
    cited_date DATE
);
