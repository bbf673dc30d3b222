-- Every row-by-row comparison belongs to a comparison of core.text_reconciliation (same
-- text document, symbol and XML document).
SELECT 'core.text_reconciliation_paragraph' AS detail, d.symbol, d.text_document_id
FROM core.text_reconciliation_paragraph d
LEFT JOIN core.text_reconciliation t USING (text_document_id)
WHERE t.text_document_id IS NULL OR t.symbol <> d.symbol OR t.xml_document_id <> d.xml_document_id
UNION ALL
SELECT 'core.text_reconciliation_footnote', d.symbol, d.text_document_id
FROM core.text_reconciliation_footnote d
LEFT JOIN core.text_reconciliation t USING (text_document_id)
WHERE t.text_document_id IS NULL OR t.symbol <> d.symbol OR t.xml_document_id <> d.xml_document_id
