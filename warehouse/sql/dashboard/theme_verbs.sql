-- Dashboard, themes: the operative verbs carrying each theme in $themes over the whole
-- period, most used first, at most $top per theme.
WITH verbs AS (
    SELECT theme, verb,
           sum(paragraphs)::INTEGER AS paragraphs,
           sum(mentions)::INTEGER AS mentions
    FROM marts.theme_verb_by_year
    WHERE list_contains($themes::VARCHAR[], theme)
    GROUP BY theme, verb
)
SELECT theme, verb, paragraphs, mentions,
       paragraphs / sum(paragraphs) OVER (PARTITION BY theme) AS share
FROM verbs
QUALIFY row_number() OVER (PARTITION BY theme ORDER BY paragraphs DESC, verb) <= $top
ORDER BY theme, paragraphs DESC, verb;
