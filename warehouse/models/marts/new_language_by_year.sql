-- step: global
-- depends: core.dim_resolution, core.fact_paragraph, marts._new_language, marts.period_coverage

CREATE TABLE IF NOT EXISTS marts.new_language_by_year (
    year INTEGER,
    session INTEGER NOT NULL,
    theme VARCHAR NOT NULL,
    new_paragraphs INTEGER NOT NULL,
    changed_paragraphs INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    symbols VARCHAR[] NOT NULL,
    all_paragraphs INTEGER NOT NULL,         -- every paragraph adopted that year in that session
    new_share DOUBLE NOT NULL,
    changed_share DOUBLE NOT NULL,
    coverage DOUBLE,
    is_complete BOOLEAN NOT NULL
);

-- build
INSERT INTO marts.new_language_by_year BY NAME
WITH totals AS (
    SELECT r.year, r.session, count(p.paragraph_key) AS all_paragraphs
    FROM core.dim_resolution r LEFT JOIN core.fact_paragraph p ON p.symbol = r.symbol
    GROUP BY r.year, r.session
)
SELECT n.year, n.session, n.theme, n.new_paragraphs, n.changed_paragraphs, len(n.symbols) AS resolutions, n.symbols,
       t.all_paragraphs,
       n.new_paragraphs / greatest(t.all_paragraphs, 1) AS new_share,
       n.changed_paragraphs / greatest(t.all_paragraphs, 1) AS changed_share,
       c.coverage, coalesce(c.is_complete, false) AS is_complete
FROM new_language n
JOIN totals t ON t.year IS NOT DISTINCT FROM n.year AND t.session = n.session
LEFT JOIN marts.period_coverage c ON c.period_type = 'year' AND c.period = n.year;
