-- Completeness of the working warehouse, symbol by symbol (published as ops.completeness_detail).
-- One row per symbol and category. Every symbol found in the XML or in DGACM's metadata
-- has exactly one of the three coverage categories:
--   both                    in the XML and in DGACM's metadata
--   xml_only                in the XML, no metadata row
--   metadata_only           in DGACM's metadata, no XML document (a text version may exist)
-- and documents add rows of their own:
--   superseded_by_reissue   an XML document replaced by a reissue or a later publication
--   duplicate               a document byte-identical to one already loaded
--   text_duplicating_xml    a text version (from a PDF) of a symbol that also has XML; the XML is loaded
--   text_only               a text version of a symbol without XML; the text is what is loaded
--   rejected                a quarantined file or archive member (raw.rejected)
-- "Symbols in the XML" are the symbols of XML documents, reissues and duplicates included;
-- core.manifest's in_xml also counts symbols known only from text, hence source_format here.
WITH doc AS (
    SELECT s.session, s.symbol, s.document_id, s.status, s.reason, r.source_format,
           d.source_path || coalesce('!' || d.member, '') AS location
    FROM staging.document_status s
    LEFT JOIN staging.resolution r ON r.document_id = s.document_id AND r.symbol = s.symbol
    LEFT JOIN (SELECT document_id, source_path, member FROM raw.document) d ON d.document_id = s.document_id
),
symbol_source AS (
    SELECT session, symbol,
           bool_or(source_format = 'xml') AS has_xml,
           bool_or(source_format = 'text') AS has_text,
           max(location) FILTER (status = 'current') AS current_location
    FROM doc
    GROUP BY session, symbol
),
coverage AS (
    SELECT coalesce(s.session, m.session) AS session,
           coalesce(s.symbol, m.symbol) AS symbol,
           coalesce(s.has_xml, false) AS has_xml,
           coalesce(s.has_text, false) AS has_text,
           coalesce(m.in_metadata, false) AS in_metadata,
           s.current_location
    FROM symbol_source s
    FULL OUTER JOIN core.manifest m ON m.session = s.session AND m.symbol = s.symbol
),
-- Where DGACM lists a symbol: file and line (for metadata-only symbols).
metadata_line AS (
    SELECT m.session, m.symbol, arg_min(d.source_path || ':' || m.line_number, m.line_number) AS location
    FROM staging.metadata m
    LEFT JOIN (SELECT document_id, source_path FROM raw.document) d ON d.document_id = m.document_id
    GROUP BY m.session, m.symbol
),
detail AS (
    SELECT c.session, c.symbol,
           CASE WHEN c.has_xml AND c.in_metadata THEN 'both'
                WHEN c.has_xml THEN 'xml_only'
                ELSE 'metadata_only' END AS category,
           CASE WHEN c.has_xml THEN c.current_location ELSE coalesce(ml.location, c.current_location) END AS document,
           CASE WHEN c.has_xml AND NOT c.in_metadata THEN 'no row in DGACM''s metadata'
                WHEN NOT c.has_xml AND c.has_text THEN 'no XML; loaded from the text version ' || c.current_location
                WHEN NOT c.has_xml THEN 'no XML document: not in the warehouse' END AS note
    FROM coverage c
    LEFT JOIN metadata_line ml ON ml.session = c.session AND ml.symbol = c.symbol
    WHERE c.has_xml OR c.in_metadata
    UNION ALL
    SELECT session, symbol, 'superseded_by_reissue', location, reason
    FROM doc
    WHERE status = 'superseded' AND source_format = 'xml'
    UNION ALL
    SELECT session, symbol, 'duplicate', location, reason
    FROM doc
    WHERE status = 'duplicate'
    UNION ALL
    SELECT d.session, d.symbol,
           CASE WHEN s.has_xml THEN 'text_duplicating_xml' ELSE 'text_only' END,
           d.location,
           CASE WHEN t.text_document_id IS NOT NULL
                THEN printf('compared with the XML: agreement %.3f, ', t.agreement)
                     || CASE WHEN t.passed THEN 'passed'
                             ELSE 'failed (' || array_to_string(t.reasons, '; ') || ')' END
                WHEN d.status = 'current' THEN 'the text is the loaded version'
                ELSE d.status || ': ' || coalesce(d.reason, '') END
    FROM doc d
    JOIN symbol_source s ON s.session = d.session AND s.symbol = d.symbol
    LEFT JOIN core.text_reconciliation t ON t.text_document_id = d.document_id AND t.symbol = d.symbol
    WHERE d.source_format = 'text'
    UNION ALL
    SELECT session,
           nullif(regexp_extract(reason, '^(A/RES/\S+( [A-Z]\b)?)', 1), ''),
           'rejected',
           source_path || coalesce('!' || member, ''),
           stage || ': ' || reason
    FROM raw.rejected
)
SELECT session::INTEGER AS session, symbol, category, document, note
FROM detail
ORDER BY session NULLS LAST,
         list_position(['both', 'xml_only', 'metadata_only', 'superseded_by_reissue', 'duplicate',
                        'text_duplicating_xml', 'text_only', 'rejected'], category),
         try_cast(regexp_extract(symbol, '/(\d+)( [A-Z])?$', 1) AS INTEGER) NULLS LAST,
         symbol, document
