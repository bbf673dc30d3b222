-- marts.operative_verb_by_year and marts.theme_verb_by_year count the operative paragraphs
-- of core.fact_paragraph by verb ("(none)" without a lead phrase), overall and per theme;
-- the shares of a year and session (and theme) sum to 1; ranks run 1, 2, 3 ... by
-- paragraphs, ties broken alphabetically.
WITH core_verbs AS (
    SELECT year, session, coalesce(verb, '(none)') AS verb, count(*) AS paragraphs,
           count(DISTINCT symbol) AS resolutions
    FROM core.fact_paragraph WHERE kind = 'operative' GROUP BY ALL
), theme_verbs AS (
    SELECT b.theme, p.year, p.session, coalesce(p.verb, '(none)') AS verb, count(*) AS paragraphs,
           sum(b.mentions) AS mentions, count(DISTINCT p.symbol) AS resolutions
    FROM core.bridge_paragraph_theme b JOIN core.fact_paragraph p USING (paragraph_key)
    WHERE p.kind = 'operative' GROUP BY ALL
)
SELECT 'marts.operative_verb_by_year' AS mart, year, session, NULL AS theme, verb, 'counts differ from core' AS problem
FROM marts.operative_verb_by_year o FULL JOIN core_verbs c USING (year, session, verb)
WHERE o.paragraphs IS DISTINCT FROM c.paragraphs OR o.resolutions IS DISTINCT FROM c.resolutions
UNION ALL
SELECT 'marts.theme_verb_by_year', year, session, theme, verb, 'counts differ from core'
FROM marts.theme_verb_by_year t FULL JOIN theme_verbs c USING (theme, year, session, verb)
WHERE t.paragraphs IS DISTINCT FROM c.paragraphs OR t.mentions IS DISTINCT FROM c.mentions
   OR t.resolutions IS DISTINCT FROM c.resolutions
UNION ALL
SELECT 'marts.operative_verb_by_year', year, session, NULL, NULL, 'shares sum to ' || sum(share)
FROM marts.operative_verb_by_year GROUP BY year, session HAVING abs(sum(share) - 1) > 1e-6
UNION ALL
SELECT 'marts.theme_verb_by_year', year, session, theme, NULL, 'shares sum to ' || sum(share)
FROM marts.theme_verb_by_year GROUP BY theme, year, session HAVING abs(sum(share) - 1) > 1e-6
UNION ALL
SELECT 'marts.operative_verb_by_year', year, session, NULL, verb, 'rank ' || rank || ', expected ' || expected
FROM (SELECT *, row_number() OVER (PARTITION BY year, session ORDER BY paragraphs DESC, verb) AS expected
      FROM marts.operative_verb_by_year)
WHERE rank <> expected
