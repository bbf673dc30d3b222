-- step: enrich
-- depends: core.bridge_resolution_sponsor, core.bridge_resolution_vote, core.dim_actor
-- code: transforms.actors, transforms/reference/actors.csv, transforms/reference/actors_name_repairs.csv
-- builder: enrich

CREATE TABLE IF NOT EXISTS core.bridge_resolution_actor (
    resolution_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    actor_id VARCHAR,                        -- null where a name does not resolve
    role VARCHAR NOT NULL,                   -- sponsor | additional_sponsor | voted_yes | voted_no | abstained
    name_as_written VARCHAR NOT NULL
);
