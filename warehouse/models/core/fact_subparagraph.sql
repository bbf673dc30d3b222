-- step: core
-- depends: core._current_resolution, staging.subparagraph

CREATE TABLE IF NOT EXISTS core.fact_subparagraph (
    paragraph_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    paragraph_kind VARCHAR NOT NULL,
    paragraph_ordinal INTEGER NOT NULL,
    sub_ordinal INTEGER NOT NULL,
    label VARCHAR,
    depth INTEGER NOT NULL,
    text VARCHAR NOT NULL
);

-- build
INSERT INTO core.fact_subparagraph BY NAME
SELECT
    paragraph_key_of(s.symbol, s.paragraph_kind, s.paragraph_ordinal) AS paragraph_key,
    s.symbol, $session AS session, s.paragraph_kind, s.paragraph_ordinal, s.sub_ordinal, s.label, s.depth, s.text
FROM staging.subparagraph s
JOIN current_resolution r ON r.document_id = s.document_id AND r.symbol = s.symbol;
