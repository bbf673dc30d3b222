-- Dashboard, citations: the resolutions adopted in $period (a GA session or a calendar
-- year, as $period_type, 'session' or 'year', says) that cite $instrument_id, with the
-- paragraphs that do and what they do with it.
SELECT r.symbol, r.title, r.session, r.adopted_on,
       count(DISTINCT b.paragraph_key)::INTEGER AS paragraphs,
       list_sort(list_distinct(list(b.relation))) AS relations,
       list_sort(list_distinct(list(b.via))) AS found_via
FROM core.bridge_paragraph_instrument AS b
JOIN core.dim_resolution AS r USING (symbol)
WHERE b.instrument_id = $instrument_id
  AND (CASE WHEN $period_type = 'session' THEN r.session ELSE r.year END) = $period
GROUP BY r.symbol, r.title, r.session, r.adopted_on
ORDER BY paragraphs DESC, r.adopted_on, r.symbol;
