-- Paragraphs matching $query, best first by BM25 over the body (any query word may
-- match). Every filter is a bound parameter and NULL means "any". $themes is the theme
-- asked for and its sub-themes (resolved against core.dim_theme by the caller).
--
-- BM25 as DuckDB's fts extension computes it (match_bm25 of an index made with
-- search/create_index.sql; tests/test_search.py checks the scores are the same), from
-- the postings the build keeps per session (marts.paragraph_term) instead of an index
-- rebuilt at every publication: the query is tokenized by the same macros
-- (ddl/030_search.sql) and stemmed; each distinct query term counts once (a repeated
-- word does not weigh more; stopwords and unknown words have no postings, so they
-- match nothing); only the rows of those terms are read. For term t and paragraph d:
--   idf(t) = log10((N - df(t) + 0.5) / (df(t) + 0.5) + 1)
--   score(d) = sum over the query terms in d of
--              idf(t) * tf * (k + 1) / (tf + k * (1 - b + b * len(d) / avgdl))
-- with k = 1.2 and b = 0.75 (fts's defaults), N the paragraphs of the snapshot, df(t)
-- the paragraphs holding t (its postings), len(d) = marts.paragraph_search.terms and
-- avgdl their mean over all paragraphs. The statistics are those of the whole snapshot
-- whatever the filters, so a filter restricts the list and does not re-rank it.
--
-- Breadth: at most $per_resolution paragraphs of any one resolution (NULL: all of
-- them), its best ones, then the one order across resolutions, then $limit. Within a
-- resolution "best" is the order of the whole list (score, then kind and ordinal, the
-- tie-breaks that remain when session and symbol are the same), so the capped list is
-- the uncapped one without each resolution's paragraphs after its first
-- $per_resolution. Every row also carries what the cap and the limit leave out:
-- resolution_matches (the matching paragraphs of its resolution) and
-- total_paragraphs / total_resolutions (everything matching the query and filters).
--
-- The best paragraphs of each resolution are picked by max_by(key, (score, kind,
-- -ordinal), n), a top-n per group inside the hash aggregate that also counts, instead
-- of row_number() OVER (PARTITION BY symbol ORDER BY ...), a window that sorts every
-- match. The struct orders like the list (highest score, then the greater kind, then
-- the lower ordinal); (kind, ordinal) is unique within a resolution, so the pick is
-- deterministic. n must not be NULL: with no cap it is 1 and unused.
--
-- Every match goes through the aggregate (the counts need them all), where the query
-- before the cap kept only its top $limit, so the matches carry only the columns the
-- ranking needs; the text, title, footnotes and themes are joined for the $limit rows
-- of the page at the end, by rowid (DuckDB fetches those rows; a join on paragraph_key,
-- a hash in no order, scanned the text of every row group: "human rights" 0.74x of the
-- time with the rowid, issue 18). The cap and the totals cost about a tenth more time than the
-- query before them; carrying every column through cost "human rights" (about 12,900
-- matches) 1.12x-1.32x, this way 1.11x-1.21x (benchmarks/RESULTS.md, "Search:
-- paragraphs per resolution").
WITH query_terms AS (
    SELECT DISTINCT stem(unnest(search_tokenize($query)), 'porter') AS term
), postings AS (
    SELECT paragraph_key, term, tf
    FROM marts.paragraph_term
    WHERE term IN (SELECT term FROM query_terms)
), document_frequency AS (
    SELECT term, count(*) AS df FROM postings GROUP BY term
), collection AS (
    SELECT count(*) AS n, sum(terms) / count(*) AS avgdl FROM marts.paragraph_search
), scored AS (
    SELECT ps.paragraph_key, ps.symbol, ps.session, ps.kind, ps.ordinal, ps.rowid AS rid,
           sum(log(((c.n - d.df) + 0.5) / (d.df + 0.5) + 1)
               * ((p.tf * (1.2 + 1)) / (p.tf + (1.2 * ((1 - 0.75) + (0.75 * (ps.terms / c.avgdl))))))) AS score
    FROM postings AS p
    JOIN document_frequency AS d USING (term)
    JOIN marts.paragraph_search AS ps USING (paragraph_key)
    CROSS JOIN collection AS c
    WHERE ($year IS NULL OR ps.year = $year)
      AND ($session IS NULL OR ps.session = $session)
      AND ($kind IS NULL OR ps.kind = $kind)
      AND ($verb IS NULL OR ps.verb = $verb)
      AND ($symbol IS NULL OR ps.symbol = $symbol)
      AND ($themes IS NULL OR list_has_any(ps.themes, $themes::VARCHAR[]))
    GROUP BY ps.paragraph_key, ps.symbol, ps.session, ps.kind, ps.ordinal, ps.rowid
), matched AS (
    SELECT * FROM scored WHERE score IS NOT NULL
), per_resolution AS (
    SELECT symbol,
           count(*) AS resolution_matches,
           max_by(paragraph_key, {'score': score, 'kind': kind, 'ordinal': -ordinal},
                  coalesce($per_resolution, 1)) AS best
    FROM matched
    GROUP BY symbol
), totals AS (
    SELECT sum(resolution_matches) AS total_paragraphs, count(*) AS total_resolutions
    FROM per_resolution
), page AS (
    SELECT m.*, r.resolution_matches, t.total_paragraphs, t.total_resolutions
    FROM matched AS m
    JOIN per_resolution AS r USING (symbol)
    CROSS JOIN totals AS t
    WHERE $per_resolution IS NULL OR list_contains(r.best, m.paragraph_key)
    ORDER BY m.score DESC, m.session DESC, m.symbol, m.kind DESC, m.ordinal
    LIMIT $limit
)
SELECT p.symbol, ps.title, ps.year, p.session, p.kind, ps.number, p.ordinal, ps.lead_phrase, ps.verb,
       p.score, ps.body AS text, ps.footnotes, ps.themes, p.paragraph_key,
       p.resolution_matches, p.total_paragraphs, p.total_resolutions
FROM page AS p
JOIN marts.paragraph_search AS ps ON ps.rowid = p.rid
ORDER BY p.score DESC, p.session DESC, p.symbol, p.kind DESC, p.ordinal;
