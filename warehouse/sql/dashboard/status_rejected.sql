-- Dashboard, status: the files that could not be loaded, and why.
SELECT session, source_path, member, format, stage, reason, rejected_at
FROM ops.rejected
ORDER BY rejected_at, source_path, member;
