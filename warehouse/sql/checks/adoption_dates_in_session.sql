-- A resolution of regular session N is adopted between September of its opening year
-- and the September after (resumed parts run into the summer). Special and emergency
-- special sessions are filed with the regular session they were convened in and may
-- be resumed later (ES-11 met again in session 77), so they only may not predate it
-- nor run past the following session.
SELECT r.symbol, r.session_label, r.adopted_on, s.first_day, s.last_day
FROM core.dim_resolution r
JOIN core.dim_session s USING (session)
WHERE r.adopted_on IS NULL
   OR (regexp_full_match(r.session_label, '\d+') AND r.adopted_on NOT BETWEEN s.first_day AND s.last_day)
   OR (NOT regexp_full_match(r.session_label, '\d+')
       AND r.adopted_on NOT BETWEEN s.first_day AND s.last_day + INTERVAL 1 YEAR)
