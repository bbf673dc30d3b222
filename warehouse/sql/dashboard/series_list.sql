-- Dashboard, series lineage: every series of recurring resolutions with its latest
-- title, its adoptions in order and how much changed along the way.
SELECT s.series_id,
       arg_max(s.title, s.position) AS title,
       count(*)::INTEGER AS adoptions,
       min(s.year) AS first_year,
       max(s.year) AS last_year,
       arg_min(s.symbol, s.position) AS first_symbol,
       arg_max(s.symbol, s.position) AS last_symbol,
       list(s.symbol ORDER BY s.position) AS symbols,
       coalesce(sum(st.changed), 0)::INTEGER AS changed,
       coalesce(sum(st."new"), 0)::INTEGER AS new,
       coalesce(sum(st.dropped), 0)::INTEGER AS dropped
FROM marts.series AS s
LEFT JOIN marts.series_step AS st USING (symbol)
GROUP BY s.series_id
ORDER BY title, s.series_id;
