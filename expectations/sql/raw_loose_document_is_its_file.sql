-- A document that is a whole file (no archive member) has the file's own sha256 and size:
-- nothing was altered between landing and raw.
SELECT d.document_id, d.source_path, d.sha256, s.sha256 AS file_sha256, d.size_bytes, s.size_bytes AS file_size_bytes
FROM raw.document d
JOIN raw.source_file s ON s.source_path = d.source_path AND s.session = d.session
WHERE d.member IS NULL AND (d.sha256 <> s.sha256 OR d.size_bytes <> s.size_bytes)
