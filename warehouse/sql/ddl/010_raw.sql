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
