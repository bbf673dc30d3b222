-- step: global
-- depends: core.bridge_paragraph_theme, core.fact_paragraph, marts._session_coverage, marts._session_totals

CREATE TABLE IF NOT EXISTS marts.theme_verb_by_session (
    theme VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    verb VARCHAR NOT NULL,
    paragraphs INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    share DOUBLE NOT NULL,                   -- of the theme's operative paragraphs in the session
    all_operative_paragraphs INTEGER NOT NULL,
    operative_share DOUBLE NOT NULL,         -- of all operative paragraphs adopted in the session
    coverage DOUBLE,
    is_complete BOOLEAN NOT NULL
);

-- build
-- Operative verbs per theme and session, straight from core (as the per-year mart).
INSERT INTO marts.theme_verb_by_session BY NAME
SELECT v.*, s.all_operative_paragraphs, v.paragraphs / greatest(s.all_operative_paragraphs, 1) AS operative_share,
       c.coverage, coalesce(c.is_complete, false) AS is_complete
FROM (
    SELECT t.theme, p.session, coalesce(p.verb, '(none)') AS verb,
           count(*) AS paragraphs, sum(t.mentions) AS mentions, count(DISTINCT p.symbol) AS resolutions,
           count(*) / sum(count(*)) OVER (PARTITION BY t.theme, p.session) AS share
    FROM core.bridge_paragraph_theme t
    JOIN core.fact_paragraph p USING (paragraph_key)
    WHERE p.kind = 'operative'
    GROUP BY t.theme, p.session, coalesce(p.verb, '(none)')
) v JOIN session_totals s USING (session)
LEFT JOIN session_coverage c USING (session);
