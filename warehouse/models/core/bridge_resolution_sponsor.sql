-- step: core
-- depends: core._current_resolution, core._session_metadata, staging.sponsor

CREATE TABLE IF NOT EXISTS core.bridge_resolution_sponsor (
    resolution_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    role VARCHAR NOT NULL,                   -- sponsor | additional_sponsor
    position INTEGER NOT NULL,
    sponsor VARCHAR NOT NULL,
    source VARCHAR NOT NULL                  -- xml | metadata
);

-- build
-- Sponsors: the XML's workflow where it names them, DGACM's metadata otherwise.
INSERT INTO core.bridge_resolution_sponsor BY NAME
SELECT resolution_key_of(s.symbol) AS resolution_key, s.symbol, $session AS session,
       s.role, s.position, s.sponsor, 'xml' AS source
FROM staging.sponsor s
JOIN current_resolution r ON r.document_id = s.document_id AND r.symbol = s.symbol;

INSERT INTO core.bridge_resolution_sponsor BY NAME
WITH meta AS (
    SELECT m.xml_symbol AS symbol, 'sponsor' AS role, unnest(m.sponsors) AS sponsor,
           generate_subscripts(m.sponsors, 1) AS position
    FROM session_metadata m
    UNION ALL
    SELECT m.xml_symbol, 'additional_sponsor', unnest(m.additional_sponsors),
           generate_subscripts(m.additional_sponsors, 1)
    FROM session_metadata m
)
SELECT resolution_key_of(meta.symbol) AS resolution_key, meta.symbol, $session AS session,
       meta.role, meta.position, meta.sponsor, 'metadata' AS source
FROM meta
JOIN current_resolution r ON r.symbol = meta.symbol
WHERE NOT EXISTS (
    SELECT 1 FROM staging.sponsor s
    WHERE s.document_id = r.document_id AND s.symbol = r.symbol AND s.role = meta.role
);
