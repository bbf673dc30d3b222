-- step: enrich
-- depends: core.bridge_paragraph_citation, core.dim_actor, core.fact_footnote, core.fact_paragraph
-- code: transforms.actors, transforms/reference/actors.csv, transforms/reference/actors_name_repairs.csv, transforms/reference/actors_text_exclusions.csv
-- builder: enrich

CREATE TABLE IF NOT EXISTS core.bridge_paragraph_actor (
    paragraph_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    paragraph_kind VARCHAR NOT NULL,
    paragraph_ordinal INTEGER NOT NULL,
    actor_id VARCHAR NOT NULL,
    role VARCHAR NOT NULL,                   -- addressee | mentioned
    verb VARCHAR,
    matched_text VARCHAR,
    position INTEGER
);
