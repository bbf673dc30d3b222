-- Paragraphs matching $query, best first by BM25 over the body (the query goes
-- through the index's own tokenizer and stemmer; any query word may match). Every
-- filter is a bound parameter and NULL means "any". $themes is the theme asked for
-- and its sub-themes (resolved against core.dim_theme by the caller).
WITH scored AS (
    SELECT ps.*,
           fts_marts_paragraph_search.match_bm25(ps.paragraph_key, $query) AS score
    FROM marts.paragraph_search AS ps
    WHERE ($year IS NULL OR ps.year = $year)
      AND ($session IS NULL OR ps.session = $session)
      AND ($kind IS NULL OR ps.kind = $kind)
      AND ($verb IS NULL OR ps.verb = $verb)
      AND ($symbol IS NULL OR ps.symbol = $symbol)
      AND ($themes IS NULL OR list_has_any(ps.themes, $themes::VARCHAR[]))
)
SELECT symbol, title, year, session, kind, number, ordinal, lead_phrase, verb,
       score, body AS text, footnotes, themes, paragraph_key
FROM scored
WHERE score IS NOT NULL
ORDER BY score DESC, session DESC, symbol, kind DESC, ordinal
LIMIT $limit;
