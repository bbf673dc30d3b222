-- step: enrich
-- partitioned: none
-- depends: 
-- code: transforms.actors, transforms/reference/actors.csv, transforms/reference/actors_name_repairs.csv, transforms/reference/actors_text_exclusions.csv
-- builder: enrich

CREATE TABLE IF NOT EXISTS core.dim_actor (
    actor_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    actor_type VARCHAR NOT NULL,
    m49 VARCHAR,
    iso3 VARCHAR,
    parent VARCHAR,
    aliases VARCHAR[],
    source VARCHAR NOT NULL
);
