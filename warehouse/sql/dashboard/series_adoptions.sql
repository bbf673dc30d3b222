-- Dashboard, series lineage: the adoptions of one series in order, each with what
-- changed since the one before (null counts for the first adoption).
SELECT s.position, s.symbol, s.session, s.year, r.adopted_on, s.predecessor_symbol, s.link,
       s.sessions_skipped, s.title,
       st.unchanged, st.changed, st."new" AS new, st.dropped, st.paragraphs,
       st.predecessor_paragraphs
FROM marts.series AS s
JOIN core.dim_resolution AS r USING (symbol)
LEFT JOIN marts.series_step AS st USING (symbol)
WHERE s.series_id = $series_id
ORDER BY s.position;
