-- Dashboard, citations: when each instrument (of the types in $types; NULL means all) is
-- cited over the whole period, most citing resolutions first, at most $limit rows.
SELECT instrument_id, name, instrument_type, first_year, last_year, years_cited,
       resolutions, paragraphs, first_symbol, last_symbol
FROM marts.instrument_citation_span
WHERE ($types IS NULL OR list_contains($types::VARCHAR[], instrument_type))
ORDER BY resolutions DESC, instrument_id
LIMIT $limit;
