-- step: core
-- depends: core._current_resolution, staging.footnote

CREATE TABLE IF NOT EXISTS core.fact_footnote (
    footnote_key BIGINT,
    paragraph_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    footnote_ordinal INTEGER NOT NULL,
    marker VARCHAR,
    text VARCHAR,
    paragraph_kind VARCHAR NOT NULL,
    paragraph_ordinal INTEGER NOT NULL,
    location VARCHAR NOT NULL               -- paragraph | heading | title
);

-- build
INSERT INTO core.fact_footnote BY NAME
SELECT
    footnote_key_of(f.symbol, f.footnote_ordinal) AS footnote_key,
    paragraph_key_of(f.symbol, f.paragraph_kind, f.paragraph_ordinal) AS paragraph_key,
    f.symbol, $session AS session, f.footnote_ordinal, f.marker, f.text,
    f.paragraph_kind, f.paragraph_ordinal, f.location
FROM staging.footnote f
JOIN current_resolution r ON r.document_id = f.document_id AND r.symbol = f.symbol;
