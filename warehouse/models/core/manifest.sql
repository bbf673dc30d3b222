-- step: core
-- depends: core._session_metadata, raw.held_back, staging.document_status, staging.metadata

-- Reconciliation of the XML against DGACM's metadata, symbol by symbol.
CREATE TABLE IF NOT EXISTS core.manifest (
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    in_xml BOOLEAN NOT NULL,
    in_metadata BOOLEAN NOT NULL,
    status VARCHAR NOT NULL,                 -- both | xml_only | metadata_only
    documents INTEGER NOT NULL,              -- XML documents seen for the symbol (reissues, duplicates)
    superseded_documents INTEGER NOT NULL
);

-- build
INSERT INTO core.manifest BY NAME
WITH xml AS (
    SELECT s.symbol,
           count(*) AS documents,
           count(*) FILTER (s.status <> 'current') AS superseded_documents
    FROM staging.document_status s
    WHERE s.session = $session
    GROUP BY s.symbol
),
-- Metadata rows matched to a current resolution count under its symbol; the rest are
-- metadata-only.
meta AS (
    SELECT DISTINCT xml_symbol AS symbol FROM session_metadata
    UNION
    SELECT m.symbol FROM staging.metadata m
    WHERE m.session = $session
      AND m.symbol NOT IN (SELECT symbol FROM session_metadata)
      AND m.symbol NOT IN (SELECT xml_symbol FROM session_metadata)
)
SELECT
    coalesce(xml.symbol, meta.symbol) AS symbol,
    $session AS session,
    xml.symbol IS NOT NULL AS in_xml,
    meta.symbol IS NOT NULL AS in_metadata,
    CASE WHEN xml.symbol IN (SELECT symbol FROM raw.held_back WHERE session = $session) THEN 'held_back'
         WHEN xml.symbol IS NOT NULL AND meta.symbol IS NOT NULL THEN 'both'
         WHEN xml.symbol IS NOT NULL THEN 'xml_only' ELSE 'metadata_only' END AS status,
    coalesce(xml.documents, 0) AS documents,
    coalesce(xml.superseded_documents, 0) AS superseded_documents
FROM xml FULL OUTER JOIN meta ON meta.symbol = xml.symbol;
