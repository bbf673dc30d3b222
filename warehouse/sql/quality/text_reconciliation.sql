-- Every text version compared with the XML of its symbol (transforms/reconcile.py).
SELECT session, symbol, text_source,
       paragraphs_xml, paragraphs_text, paragraphs_same, paragraphs_differs,
       paragraphs_missing, paragraphs_extra,
       footnotes_xml, footnotes_text, footnotes_same,
       agreement, footnote_agreement, passed,
       array_to_string(reasons, '; ') AS reasons
FROM core.text_reconciliation
ORDER BY passed, agreement, session, symbol
