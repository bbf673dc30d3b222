-- marts.paragraph_search: one row per paragraph of the snapshot, what `unga search` ranks.
-- `body` is the indexed text: the paragraph's text and the text of any of its
-- sub-paragraphs that the paragraph text does not already hold (the parser keeps
-- sub-paragraphs inside their paragraph's text, so today body = text; adding them
-- again would count their words twice in BM25). `themes` holds the paragraph's theme
-- codes as the bridge stores them, parents included; `footnotes` the footnote texts
-- in order, each after its marker.
CREATE OR REPLACE TABLE marts.paragraph_search AS
WITH extra_subparagraphs AS (
    SELECT s.paragraph_key,
           string_agg(s.text, chr(10) ORDER BY s.sub_ordinal) AS extra
    FROM core.fact_subparagraph AS s
    JOIN core.fact_paragraph AS p USING (paragraph_key)
    WHERE s.text IS NOT NULL AND s.text <> '' AND NOT contains(p.text, s.text)
    GROUP BY s.paragraph_key
), paragraph_footnotes AS (
    SELECT paragraph_key,
           list(coalesce(marker || ' ', '') || text ORDER BY footnote_ordinal) AS footnotes
    FROM core.fact_footnote
    WHERE paragraph_key IS NOT NULL
    GROUP BY paragraph_key
), paragraph_themes AS (
    SELECT paragraph_key, list(DISTINCT theme ORDER BY theme) AS themes
    FROM core.bridge_paragraph_theme
    GROUP BY paragraph_key
)
SELECT p.paragraph_key,
       p.symbol,
       p.session,
       p.year,
       p.kind,
       p.ordinal,
       p.number,
       p.lead_phrase,
       p.verb,
       r.title,
       coalesce(t.themes, []::VARCHAR[]) AS themes,
       coalesce(f.footnotes, []::VARCHAR[]) AS footnotes,
       coalesce(p.text, '') || coalesce(chr(10) || x.extra, '') AS body
FROM core.fact_paragraph AS p
LEFT JOIN core.dim_resolution AS r USING (resolution_key)
LEFT JOIN extra_subparagraphs AS x USING (paragraph_key)
LEFT JOIN paragraph_footnotes AS f USING (paragraph_key)
LEFT JOIN paragraph_themes AS t USING (paragraph_key)
ORDER BY p.session, p.symbol, p.kind DESC, p.ordinal;
