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

CREATE TABLE IF NOT EXISTS core.bridge_paragraph_theme (
    paragraph_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    paragraph_kind VARCHAR NOT NULL,
    paragraph_ordinal INTEGER NOT NULL,
    theme VARCHAR NOT NULL,
    mentions INTEGER NOT NULL,
    matched VARCHAR[],
    positions INTEGER[],
    via_child BOOLEAN NOT NULL
);

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

CREATE TABLE IF NOT EXISTS core.bridge_resolution_actor (
    resolution_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    actor_id VARCHAR,                        -- null where a name does not resolve
    role VARCHAR NOT NULL,                   -- sponsor | additional_sponsor | voted_yes | voted_no | abstained
    name_as_written VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS core.dim_instrument (
    instrument_id VARCHAR NOT NULL,
    instrument_type VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    year INTEGER,
    source VARCHAR NOT NULL                  -- registry | extracted
);

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
