-- Dashboard, citations: the kinds of instrument and document cited, most cited first.
SELECT instrument_type,
       count(*)::INTEGER AS instruments,
       sum(resolutions)::INTEGER AS citing_resolutions
FROM marts.instrument_citation_span
GROUP BY instrument_type
ORDER BY citing_resolutions DESC, instrument_type;
