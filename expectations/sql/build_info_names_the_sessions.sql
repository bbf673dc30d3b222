-- ops.build_info is one row, and the sessions it names are the sessions of core.dim_session.
SELECT (SELECT count(*) FROM ops.build_info) AS rows, b.sessions,
       (SELECT string_agg(session::VARCHAR, ',' ORDER BY session) FROM core.dim_session) AS dim_session
FROM ops.build_info b
WHERE (SELECT count(*) FROM ops.build_info) <> 1
   OR b.sessions IS DISTINCT FROM (SELECT string_agg(session::VARCHAR, ',' ORDER BY session) FROM core.dim_session)
