-- status follows from in_xml and in_metadata (both, xml_only, metadata_only), except that
-- a symbol held back (ops.held_back) is held_back; a metadata_only symbol has no document,
-- the others at least one, of which all but one (the current text) are superseded; a
-- symbol carried by a document is in core.dim_resolution unless it is held back.
SELECT m.symbol, m.status, m.in_xml, m.in_metadata, m.documents, m.superseded_documents,
       r.symbol IS NOT NULL AS in_dim_resolution
FROM core.manifest m
LEFT JOIN core.dim_resolution r USING (symbol)
WHERE m.status IS DISTINCT FROM CASE WHEN m.status = 'held_back' AND m.in_xml THEN 'held_back'
                                     WHEN m.in_xml AND m.in_metadata THEN 'both'
                                     WHEN m.in_xml THEN 'xml_only'
                                     WHEN m.in_metadata THEN 'metadata_only' END
   OR (m.status = 'metadata_only') <> (m.documents = 0)
   OR (m.documents > 0 AND m.superseded_documents <> m.documents - 1)
   OR (m.documents = 0 AND m.superseded_documents <> 0)
   OR (m.in_xml AND m.status <> 'held_back') <> (r.symbol IS NOT NULL)
