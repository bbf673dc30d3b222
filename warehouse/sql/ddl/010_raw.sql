-- Every file seen in the landing folder, as it was when last loaded: one row per session its
-- documents were placed in by their content (an archive can span sessions), and one with
-- session null for what of it was placed nowhere (quarantined in raw.rejected).
CREATE TABLE IF NOT EXISTS raw.source_file (
    source_path VARCHAR,
    session INTEGER,
    format VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

-- Every document inside a source file (an archive member or the file itself), with its
-- bytes, so that staging can be rebuilt without the landing folder.
CREATE TABLE IF NOT EXISTS raw.document (
    document_id VARCHAR,          -- sha256 of session, source path, member and bytes
    session INTEGER NOT NULL,
    source_path VARCHAR NOT NULL,
    member VARCHAR,
    format VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 VARCHAR NOT NULL,
    content BLOB NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

-- Quarantine: what could not be loaded, and why. The file itself stays in landing.
CREATE TABLE IF NOT EXISTS raw.rejected (
    session INTEGER,
    source_path VARCHAR NOT NULL,
    member VARCHAR,
    sha256 VARCHAR,
    format VARCHAR,
    stage VARCHAR NOT NULL,                   -- unpack | parse | select
    reason VARCHAR NOT NULL,
    rejected_at TIMESTAMP NOT NULL
);

-- What each layer last built for a session, so an unchanged session costs nothing.
CREATE TABLE IF NOT EXISTS raw.load_state (
    session INTEGER NOT NULL,
    layer VARCHAR NOT NULL,
    fingerprint VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);

-- Held back: resolutions that broke a rule naming them (a structural check of
-- warehouse/sql/checks or a suite's expectation whose failing rows carry their symbol).
-- core leaves them out, so every table after it does too; the rest is published. A row
-- goes when its session's staging is rebuilt (new bytes or new parser code) or the rules
-- change (rules_version), so a fixed resolution comes back with no manual step.
CREATE TABLE IF NOT EXISTS raw.held_back (
    session INTEGER NOT NULL,
    symbol VARCHAR NOT NULL,
    rule VARCHAR NOT NULL,                    -- "check operative_numbers_contiguous", "suite core_paragraphs: ..."
    reason VARCHAR NOT NULL,                  -- the rule's meaning, in words
    failing_rows BIGINT NOT NULL,             -- rows of this resolution that broke the rule
    sample VARCHAR[] NOT NULL,                -- a few of them, as "column=value, ..."
    rules_version VARCHAR NOT NULL,           -- pipeline.rules_version() when it was held back
    held_at TIMESTAMP NOT NULL
);

-- The version each model's rows were built at (warehouse/registry.py: its code and what
-- it depends on), per session for a model partitioned by session, session null for the
-- others. A build rebuilds a model whose version now differs, and what depends on it.
CREATE TABLE IF NOT EXISTS raw.model_state (
    session INTEGER,
    model VARCHAR NOT NULL,
    version VARCHAR NOT NULL,
    built_at TIMESTAMP NOT NULL
);
