-- step: core
-- depends: core._current_resolution, staging.citation

CREATE TABLE IF NOT EXISTS core.bridge_paragraph_citation (
    paragraph_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    paragraph_kind VARCHAR NOT NULL,
    paragraph_ordinal INTEGER NOT NULL,
    target_symbol VARCHAR NOT NULL,
    target_resolution_key BIGINT,            -- set when the target is a resolution in the warehouse
    anchor_text VARCHAR,
    href VARCHAR,
    in_footnote BOOLEAN NOT NULL
);

-- build
INSERT INTO core.bridge_paragraph_citation BY NAME
SELECT
    paragraph_key_of(c.symbol, c.paragraph_kind, c.paragraph_ordinal) AS paragraph_key,
    c.symbol, $session AS session, c.paragraph_kind, c.paragraph_ordinal, c.target_symbol,
    NULL::BIGINT AS target_resolution_key,  -- set by core/link_citations.sql
    c.anchor_text, c.href, c.in_footnote
FROM staging.citation c
JOIN current_resolution r ON r.document_id = c.document_id AND r.symbol = c.symbol;
