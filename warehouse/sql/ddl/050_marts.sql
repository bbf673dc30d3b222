-- Marts: answers over time, built from the core tables.
--
-- Tables with a `session` column are rebuilt per GA session (the partition that
-- changed); `year` is the calendar year of adoption, so a session contributes to
-- two years (most resolutions in December, the rest the following spring/summer)
-- and a year holds two sessions. Shares are of all resolutions and paragraphs
-- adopted in the same year and session. The year-only marts (environmental crime
-- trend, citation spans, series lineage), the *_by_session marts and the coverage
-- of each period are rebuilt over all sessions, which takes milliseconds for the
-- rollups and seconds for the lineage.
--
-- Time axes: every trend is offered by calendar year (`*_by_year`, at year x session
-- grain, and the environmental-crime trend by year) and by GA session (`*_by_session`),
-- the unit analysts of the General Assembly count in: a session is one agenda cycle,
-- while a calendar year cuts two sessions in two and biennial resolutions make
-- year-on-year lines zig-zag. Each trend row carries the coverage of its period
-- (`coverage`, `is_complete`, from marts.period_coverage), so a partial period is
-- never read as a fall: 2025 holds only the January-September part of session 79.

-- How much of each period is loaded (transforms/coverage.py says by which rules).
CREATE TABLE IF NOT EXISTS marts.period_coverage (
    period_type VARCHAR NOT NULL,            -- session | year
    period INTEGER NOT NULL,                 -- the session number or the calendar year
    label VARCHAR NOT NULL,
    sessions INTEGER[] NOT NULL,             -- the sessions whose resolutions the period can hold
    sessions_loaded INTEGER[] NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    first_adopted DATE,
    last_adopted DATE,
    resolutions_loaded INTEGER NOT NULL,
    resolutions_missing INTEGER NOT NULL,    -- known to be adopted in the period, not loaded
    resolutions_uncertain INTEGER NOT NULL,  -- not loaded, adopted in this period or a neighbouring one
    resolutions_expected INTEGER,            -- loaded + missing; null when a part of the period is not loaded
    coverage DOUBLE,                         -- loaded / expected
    is_closed BOOLEAN NOT NULL,
    is_complete BOOLEAN NOT NULL,
    is_partial BOOLEAN NOT NULL,             -- partial in time: not over, or a part not loaded
    missing_symbols VARCHAR[] NOT NULL,
    uncertain_symbols VARCHAR[] NOT NULL,
    partial_reason VARCHAR                   -- in words; null when complete
);

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
    symbols VARCHAR[] NOT NULL,
    coverage DOUBLE,                         -- of the calendar year (marts.period_coverage), set by build_rollups.sql
    is_complete BOOLEAN
);

CREATE TABLE IF NOT EXISTS marts.theme_verb_by_year (
    theme VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    session INTEGER NOT NULL,
    verb VARCHAR NOT NULL,                   -- the operative verb, "(none)" when the paragraph has no lead phrase
    paragraphs INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    share DOUBLE NOT NULL,                   -- of the theme's operative paragraphs that year and session
    all_operative_paragraphs INTEGER NOT NULL,
    operative_share DOUBLE NOT NULL,
    coverage DOUBLE,                         -- of the calendar year (marts.period_coverage), set by build_rollups.sql
    is_complete BOOLEAN
);

CREATE TABLE IF NOT EXISTS marts.operative_verb_by_year (
    year INTEGER NOT NULL,
    session INTEGER NOT NULL,
    verb VARCHAR NOT NULL,
    paragraphs INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    share DOUBLE NOT NULL,                   -- of all operative paragraphs that year and session
    rank INTEGER NOT NULL,
    all_resolutions INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    coverage DOUBLE,                         -- of the calendar year (marts.period_coverage), set by build_rollups.sql
    is_complete BOOLEAN
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
    rank INTEGER NOT NULL,                   -- 1 = cited by the most resolutions that year and session
    all_resolutions INTEGER NOT NULL,
    all_paragraphs INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    paragraph_share DOUBLE NOT NULL,
    coverage DOUBLE,                         -- of the calendar year (marts.period_coverage), set by build_rollups.sql
    is_complete BOOLEAN
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
    symbols VARCHAR[] NOT NULL,
    all_resolutions INTEGER NOT NULL,
    all_operative_paragraphs INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    mandate_share DOUBLE NOT NULL,
    coverage DOUBLE,                         -- of the calendar year (marts.period_coverage), set by build_rollups.sql
    is_complete BOOLEAN
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
    symbols VARCHAR[] NOT NULL,
    coverage DOUBLE,                         -- of the year (marts.period_coverage)
    is_complete BOOLEAN NOT NULL
);

-- The same by GA session: every loaded session for every theme of the family.
CREATE TABLE IF NOT EXISTS marts.environmental_crime_trend_by_session (
    session INTEGER NOT NULL,
    theme VARCHAR NOT NULL,
    theme_label VARCHAR NOT NULL,
    is_parent BOOLEAN NOT NULL,
    years INTEGER[] NOT NULL,                -- the calendar years its resolutions were adopted in
    resolutions INTEGER NOT NULL,
    paragraphs INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    preambular_paragraphs INTEGER NOT NULL,
    operative_paragraphs INTEGER NOT NULL,
    all_resolutions INTEGER NOT NULL,
    all_paragraphs INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    paragraph_share DOUBLE NOT NULL,
    mentions_change INTEGER,                 -- against the previous session in the data; null for the first
    symbols VARCHAR[] NOT NULL,
    coverage DOUBLE,
    is_complete BOOLEAN NOT NULL
);

-- The *_by_session twins of the per-session marts, rolled up over the session's years
-- (build_rollups.sql); shares are of everything adopted in the session.
CREATE TABLE IF NOT EXISTS marts.theme_trend_by_session (
    theme VARCHAR NOT NULL,
    parent_theme VARCHAR,
    theme_label VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    years INTEGER[] NOT NULL,
    resolutions INTEGER NOT NULL,
    paragraphs INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    preambular_paragraphs INTEGER NOT NULL,
    operative_paragraphs INTEGER NOT NULL,
    annex_paragraphs INTEGER NOT NULL,
    preambular_mentions INTEGER NOT NULL,
    operative_mentions INTEGER NOT NULL,
    annex_mentions INTEGER NOT NULL,
    all_resolutions INTEGER NOT NULL,
    all_paragraphs INTEGER NOT NULL,
    all_preambular_paragraphs INTEGER NOT NULL,
    all_operative_paragraphs INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    paragraph_share DOUBLE NOT NULL,
    preambular_share DOUBLE NOT NULL,
    operative_share DOUBLE NOT NULL,
    symbols VARCHAR[] NOT NULL,
    coverage DOUBLE,
    is_complete BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS marts.theme_verb_by_session (
    theme VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    verb VARCHAR NOT NULL,
    paragraphs INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    share DOUBLE NOT NULL,                   -- of the theme's operative paragraphs in the session
    all_operative_paragraphs INTEGER NOT NULL,
    operative_share DOUBLE NOT NULL,         -- of all operative paragraphs adopted in the session
    coverage DOUBLE,
    is_complete BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS marts.operative_verb_by_session (
    session INTEGER NOT NULL,
    verb VARCHAR NOT NULL,
    paragraphs INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    share DOUBLE NOT NULL,                   -- of all operative paragraphs of the session
    rank INTEGER NOT NULL,
    all_resolutions INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    coverage DOUBLE,
    is_complete BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS marts.instrument_citations_by_session (
    instrument_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    instrument_type VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    paragraphs INTEGER NOT NULL,
    citations INTEGER NOT NULL,
    rank INTEGER NOT NULL,                   -- 1 = cited by the most resolutions of the session
    all_resolutions INTEGER NOT NULL,
    all_paragraphs INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    paragraph_share DOUBLE NOT NULL,
    coverage DOUBLE,
    is_complete BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS marts.mandates_by_entity_session (
    actor_id VARCHAR NOT NULL,
    entity VARCHAR,
    session INTEGER NOT NULL,
    mandates INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    reports_requested INTEGER NOT NULL,
    verbs VARCHAR[] NOT NULL,
    symbols VARCHAR[] NOT NULL,
    all_resolutions INTEGER NOT NULL,
    all_operative_paragraphs INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    mandate_share DOUBLE NOT NULL,
    coverage DOUBLE,
    is_complete BOOLEAN NOT NULL
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
    symbols VARCHAR[] NOT NULL,
    all_paragraphs INTEGER NOT NULL,         -- every paragraph adopted that year in that session
    new_share DOUBLE NOT NULL,
    changed_share DOUBLE NOT NULL,
    coverage DOUBLE,
    is_complete BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS marts.new_language_by_session (
    session INTEGER NOT NULL,
    theme VARCHAR NOT NULL,
    new_paragraphs INTEGER NOT NULL,
    changed_paragraphs INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    symbols VARCHAR[] NOT NULL,
    all_paragraphs INTEGER NOT NULL,         -- every paragraph adopted in the session
    new_share DOUBLE NOT NULL,
    changed_share DOUBLE NOT NULL,
    coverage DOUBLE,
    is_complete BOOLEAN NOT NULL
);

-- Fingerprints of the steps that span sessions (the rollups and the lineage).
CREATE TABLE IF NOT EXISTS raw.global_state (
    step VARCHAR NOT NULL,
    fingerprint VARCHAR NOT NULL,
    built_at TIMESTAMP NOT NULL
);
