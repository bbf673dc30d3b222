-- Completeness per session (published as ops.completeness): the counts of
-- quality/completeness_detail.sql, which the caller registers as `completeness_detail`,
-- and the symbols behind every count except in_both (in resolution-number order).
-- Coverage counts are symbols; superseded_by_reissue, duplicates, text_versions,
-- text_duplicating_xml and rejected_files count documents. The row with a NULL session
-- counts files whose session could not be told (present only when there are some).
WITH d AS (
    SELECT *,
           try_cast(regexp_extract(symbol, '/(\d+)( [A-Z])?$', 1) AS INTEGER) AS _number,
           row_number() OVER (PARTITION BY session, category, symbol ORDER BY document) = 1 AS _first
    FROM completeness_detail
)
SELECT
    session::INTEGER AS session,
    count(*) FILTER (category IN ('both', 'xml_only')) AS xml_resolutions,
    count(*) FILTER (category IN ('both', 'metadata_only')) AS metadata_resolutions,
    count(*) FILTER (category = 'both') AS in_both,
    count(*) FILTER (category = 'xml_only') AS xml_only,
    count(*) FILTER (category = 'metadata_only') AS metadata_only,
    count(*) FILTER (category = 'superseded_by_reissue') AS superseded_by_reissue,
    count(*) FILTER (category = 'duplicate') AS duplicates,
    count(*) FILTER (category IN ('text_duplicating_xml', 'text_only')) AS text_versions,
    count(*) FILTER (category = 'text_duplicating_xml') AS text_duplicating_xml,
    count(*) FILTER (category = 'rejected') AS rejected_files,
    coalesce(list(symbol ORDER BY _number NULLS LAST, symbol)
             FILTER (category = 'xml_only' AND _first), []::VARCHAR[]) AS xml_only_symbols,
    coalesce(list(symbol ORDER BY _number NULLS LAST, symbol)
             FILTER (category = 'metadata_only' AND _first), []::VARCHAR[]) AS metadata_only_symbols,
    coalesce(list(symbol ORDER BY _number NULLS LAST, symbol)
             FILTER (category = 'superseded_by_reissue' AND _first), []::VARCHAR[]) AS superseded_symbols,
    coalesce(list(symbol ORDER BY _number NULLS LAST, symbol)
             FILTER (category = 'duplicate' AND _first), []::VARCHAR[]) AS duplicate_symbols,
    coalesce(list(symbol ORDER BY _number NULLS LAST, symbol)
             FILTER (category = 'text_duplicating_xml' AND _first), []::VARCHAR[]) AS text_duplicating_xml_symbols,
    coalesce(list(symbol ORDER BY _number NULLS LAST, symbol)
             FILTER (category = 'text_only' AND _first), []::VARCHAR[]) AS text_only_symbols,
    coalesce(list(document ORDER BY document)
             FILTER (category = 'rejected'), []::VARCHAR[]) AS rejected_documents
FROM d
GROUP BY session
ORDER BY session NULLS LAST
