-- Marts: answers over time, built from the core tables.
--
-- Tables with a `session` column are rebuilt per GA session (the partition that
-- changed); `year` is the calendar year of adoption, so a session contributes to
-- two years (most resolutions in December, the rest the following spring/summer)
-- and a year holds two sessions. Shares are of all resolutions and paragraphs
-- adopted in the same year and session. The year-only marts (environmental crime
-- trend, citation spans, series lineage) are rebuilt over all sessions, which
-- takes milliseconds for the rollups and seconds for the lineage.

CREATE TABLE IF NOT EXISTS marts.theme_trend_by_year (
    theme VARCHAR NOT NULL,
    parent_theme VARCHAR,
    theme_label VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    session INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,            -- resolutions with at least one paragraph on the theme
    paragraphs INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    preambular_paragraphs INTEGER NOT NULL,
    operative_paragraphs INTEGER NOT NULL,
    annex_paragraphs INTEGER NOT NULL,
    preambular_mentions INTEGER NOT NULL,
    operative_mentions INTEGER NOT NULL,
    annex_mentions INTEGER NOT NULL,
    all_resolutions INTEGER NOT NULL,        -- every resolution adopted that year in that session
    all_paragraphs INTEGER NOT NULL,
    all_preambular_paragraphs INTEGER NOT NULL,
    all_operative_paragraphs INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    paragraph_share DOUBLE NOT NULL,
    preambular_share DOUBLE NOT NULL,
    operative_share DOUBLE NOT NULL,
    symbols VARCHAR[] NOT NULL
);

CREATE TABLE IF NOT EXISTS marts.theme_verb_by_year (
    theme VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    session INTEGER NOT NULL,
    verb VARCHAR NOT NULL,                   -- the operative verb, "(none)" when the paragraph has no lead phrase
    paragraphs INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    share DOUBLE NOT NULL                    -- of the theme's operative paragraphs that year and session
);

CREATE TABLE IF NOT EXISTS marts.operative_verb_by_year (
    year INTEGER NOT NULL,
    session INTEGER NOT NULL,
    verb VARCHAR NOT NULL,
    paragraphs INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    share DOUBLE NOT NULL,                   -- of all operative paragraphs that year and session
    rank INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS marts.instrument_citations_by_year (
    instrument_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    instrument_type VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    session INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    paragraphs INTEGER NOT NULL,
    citations INTEGER NOT NULL,
    rank INTEGER NOT NULL                    -- 1 = cited by the most resolutions that year and session
);

CREATE TABLE IF NOT EXISTS marts.citation_edges (
    source_symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    year INTEGER,
    target_symbol VARCHAR NOT NULL,
    target_type VARCHAR NOT NULL,            -- ga_resolution | sc_resolution | ecosoc_resolution | hrc_resolution | document
    target_in_warehouse BOOLEAN NOT NULL,
    citations INTEGER NOT NULL,              -- links from source to target
    paragraphs INTEGER NOT NULL,
    in_footnotes INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS marts.mandates_by_entity_year (
    actor_id VARCHAR NOT NULL,
    entity VARCHAR,
    year INTEGER,
    session INTEGER NOT NULL,
    mandates INTEGER NOT NULL,               -- operative paragraphs that ask the entity to act
    resolutions INTEGER NOT NULL,
    reports_requested INTEGER NOT NULL,
    verbs VARCHAR[] NOT NULL,
    symbols VARCHAR[] NOT NULL
);

CREATE TABLE IF NOT EXISTS marts.environmental_crime_trend (
    year INTEGER NOT NULL,
    theme VARCHAR NOT NULL,                  -- environmental_crime or one of its sub-themes
    theme_label VARCHAR NOT NULL,
    is_parent BOOLEAN NOT NULL,
    sessions INTEGER[] NOT NULL,
    resolutions INTEGER NOT NULL,
    paragraphs INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    preambular_paragraphs INTEGER NOT NULL,
    operative_paragraphs INTEGER NOT NULL,
    all_resolutions INTEGER NOT NULL,
    all_paragraphs INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    paragraph_share DOUBLE NOT NULL,
    mentions_change INTEGER,                 -- against the previous year in the data; null for the first
    symbols VARCHAR[] NOT NULL
);

CREATE TABLE IF NOT EXISTS marts.instrument_citation_span (
    instrument_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    instrument_type VARCHAR NOT NULL,
    first_year INTEGER NOT NULL,
    last_year INTEGER NOT NULL,
    years_cited INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    paragraphs INTEGER NOT NULL,
    first_symbol VARCHAR NOT NULL,
    last_symbol VARCHAR NOT NULL
);

-- Series of recurring resolutions and the paragraph-level lineage between consecutive
-- adoptions (transforms/lineage.py).
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

CREATE TABLE IF NOT EXISTS marts.new_language_by_year (
    year INTEGER,
    session INTEGER NOT NULL,
    theme VARCHAR NOT NULL,
    new_paragraphs INTEGER NOT NULL,
    changed_paragraphs INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    symbols VARCHAR[] NOT NULL
);

-- Fingerprints of the steps that span sessions (the rollups and the lineage).
CREATE TABLE IF NOT EXISTS raw.global_state (
    step VARCHAR NOT NULL,
    fingerprint VARCHAR NOT NULL,
    built_at TIMESTAMP NOT NULL
);
