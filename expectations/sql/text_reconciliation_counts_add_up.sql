-- A text-versus-XML comparison adds up: paired paragraphs (same + differs) plus the XML's
-- missing ones are the XML's paragraphs, plus the extra ones the text's; the same for
-- footnotes; agreement is paragraphs_same / paragraphs_xml; passed exactly when no reason
-- is given; the XML compared is the one core.dim_resolution took (the canonical text); and
-- the row-by-row table has one row per paragraph position with the same counts of each status.
WITH rows AS (
    SELECT text_document_id,
           count(*) FILTER (WHERE status = 'same') AS same,
           count(*) FILTER (WHERE status = 'differs') AS differs,
           count(*) FILTER (WHERE status = 'xml_only') AS xml_only,
           count(*) FILTER (WHERE status = 'text_only') AS text_only
    FROM core.text_reconciliation_paragraph GROUP BY text_document_id
)
SELECT t.symbol, t.text_source
FROM core.text_reconciliation t
LEFT JOIN core.dim_resolution r USING (symbol)
LEFT JOIN rows p USING (text_document_id)
WHERE t.paragraphs_same + t.paragraphs_differs + t.paragraphs_missing <> t.paragraphs_xml
   OR t.paragraphs_same + t.paragraphs_differs + t.paragraphs_extra <> t.paragraphs_text
   OR t.footnotes_same + t.footnotes_misplaced + t.footnotes_missing <> t.footnotes_xml
   OR t.footnotes_same + t.footnotes_misplaced + t.footnotes_extra <> t.footnotes_text
   OR (t.paragraphs_xml > 0 AND abs(t.agreement - t.paragraphs_same / t.paragraphs_xml) > 1e-9)
   OR t.passed <> (len(t.reasons) = 0)
   OR r.document_id IS DISTINCT FROM t.xml_document_id
   OR coalesce(p.same, 0) <> t.paragraphs_same OR coalesce(p.differs, 0) <> t.paragraphs_differs
   OR coalesce(p.xml_only, 0) <> t.paragraphs_missing OR coalesce(p.text_only, 0) <> t.paragraphs_extra
