-- Every document kept in raw comes from a file recorded in raw.source_file under the
-- same session: the file's row for the session the document's content placed it in
-- (an archive has a row for each session its members went to).
SELECT d.document_id, d.source_path, d.member, d.session
FROM raw.document d
LEFT JOIN raw.source_file s ON s.source_path = d.source_path AND s.session = d.session
WHERE s.source_path IS NULL
