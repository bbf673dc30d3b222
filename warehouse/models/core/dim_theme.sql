-- step: enrich
-- partitioned: none
-- depends: 
-- code: transforms.themes, transforms/reference/themes.yaml
-- builder: enrich

-- Dimensions a paragraph is tied to: themes, actors, instruments. The dimension tables
-- come from the reference files under transforms/reference (rewritten whole on each
-- build); the bridges are rebuilt per session like the facts.
CREATE TABLE IF NOT EXISTS core.dim_theme (
    theme VARCHAR NOT NULL,
    parent VARCHAR,
    label VARCHAR NOT NULL,
    iccs VARCHAR[],
    sdg_targets VARCHAR[],
    description VARCHAR,
    source VARCHAR NOT NULL
);
