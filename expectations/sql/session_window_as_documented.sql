-- Each session's window is as the codebook defines it: opening_year = 1945 + session,
-- first_day 1 September of the opening year, last_day 30 September of the next year.
SELECT session, opening_year, first_day, last_day
FROM core.dim_session
WHERE opening_year <> 1945 + session
   OR first_day <> make_date(1945 + session, 9, 1)
   OR last_day <> make_date(1946 + session, 9, 30)
