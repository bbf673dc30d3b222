-- The bytes kept in raw.document are the bytes recorded: their length is size_bytes and
-- their SHA-256 is sha256, so staging can be rebuilt from raw without the landing folder.
SELECT document_id, source_path, member, size_bytes, octet_length(content) AS stored_bytes
FROM raw.document
WHERE octet_length(content) <> size_bytes OR sha256(content) <> sha256
