-- table: core.dim_resolution
-- severity: error
-- A resolution of regular session N is adopted between September of its opening year
-- and the September after (resumed parts run into the summer). A special or emergency
-- special session's resolution belongs to the regular session in progress on the day it
-- was adopted (transforms.symbols.regular_session_for: from 1 September of the session's
-- opening year to 31 August of the next), whatever zip or folder it was shipped in: ES-11
-- met in March 2022 (session 76) and again in October 2022 (session 77).
SELECT r.symbol, r.session_label, r.adopted_on, s.first_day, s.last_day
FROM core.dim_resolution r
JOIN core.dim_session s USING (session)
WHERE r.adopted_on IS NULL
   OR (regexp_full_match(r.session_label, '\d+') AND r.adopted_on NOT BETWEEN s.first_day AND s.last_day)
   OR (NOT regexp_full_match(r.session_label, '\d+')
       AND (r.adopted_on < s.first_day OR r.adopted_on >= s.first_day + INTERVAL 1 YEAR))
