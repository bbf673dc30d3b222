-- step: session
-- depends: core.fact_paragraph, core.fact_subparagraph

-- build
-- The indexed text of each paragraph of the session, made once for both search models:
-- marts.paragraph_search shows it, marts._search_term tokenizes it. `body` is the
-- paragraph's text and the text of any of its sub-paragraphs that the paragraph text
-- does not already hold (the parser keeps sub-paragraphs inside their paragraph's text,
-- so today body = text; adding them again would count their words twice in BM25).
CREATE OR REPLACE TEMP TABLE search_body AS
WITH paragraphs AS (
    SELECT paragraph_key, text FROM core.fact_paragraph WHERE session = $session
), extra_subparagraphs AS (
    SELECT s.paragraph_key,
           string_agg(s.text, chr(10) ORDER BY s.sub_ordinal) AS extra
    FROM core.fact_subparagraph AS s
    JOIN paragraphs AS p USING (paragraph_key)
    WHERE s.text IS NOT NULL AND s.text <> '' AND NOT contains(p.text, s.text)
    GROUP BY s.paragraph_key
)
SELECT p.paragraph_key, coalesce(p.text, '') || coalesce(chr(10) || x.extra, '') AS body
FROM paragraphs AS p
LEFT JOIN extra_subparagraphs AS x USING (paragraph_key);
