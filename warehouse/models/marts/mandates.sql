-- step: enrich
-- depends: core.bridge_paragraph_actor, core.dim_resolution, core.fact_paragraph
-- code: transforms.actors, transforms/reference/actors.csv
-- builder: enrich

-- Operative paragraphs that request or direct a UN entity to act.
CREATE TABLE IF NOT EXISTS marts.mandates (
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    year INTEGER,
    paragraph_ordinal INTEGER NOT NULL,
    number VARCHAR,
    actor_id VARCHAR NOT NULL,
    entity VARCHAR,
    verb VARCHAR,
    action VARCHAR,
    report_requested BOOLEAN,
    report_session VARCHAR,
    report_to VARCHAR
);
