-- Quarantined files and archive members, with the stage that refused them and why.
SELECT session, stage, source_path, member, format, reason
FROM raw.rejected
ORDER BY session NULLS FIRST, source_path, member NULLS FIRST
