-- Every rejection names a file that was seen in landing (raw.source_file records every
-- file, readable or not).
SELECT r.source_path, r.member, r.stage
FROM raw.rejected r
LEFT JOIN raw.source_file s USING (source_path)
WHERE s.source_path IS NULL
