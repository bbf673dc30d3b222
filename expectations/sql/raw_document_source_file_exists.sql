-- Every document kept in raw comes from a file recorded in raw.source_file, under the
-- same session (an archive member belongs to the session of its archive).
SELECT d.document_id, d.source_path, d.member, d.session, s.session AS file_session
FROM raw.document d
LEFT JOIN raw.source_file s USING (source_path)
WHERE s.source_path IS NULL OR s.session IS DISTINCT FROM d.session
