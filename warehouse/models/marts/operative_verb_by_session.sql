-- step: global
-- depends: core.fact_paragraph, marts._session_coverage, marts._session_totals

CREATE TABLE IF NOT EXISTS marts.operative_verb_by_session (
    session INTEGER NOT NULL,
    verb VARCHAR NOT NULL,
    paragraphs INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    share DOUBLE NOT NULL,                   -- of all operative paragraphs of the session
    rank INTEGER NOT NULL,
    all_resolutions INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    coverage DOUBLE,
    is_complete BOOLEAN NOT NULL
);

-- build
-- The mix of operative verbs per session.
INSERT INTO marts.operative_verb_by_session BY NAME
SELECT v.*, s.all_resolutions, v.resolutions / greatest(s.all_resolutions, 1) AS resolution_share,
       c.coverage, coalesce(c.is_complete, false) AS is_complete
FROM (
    SELECT session, coalesce(verb, '(none)') AS verb,
           count(*) AS paragraphs, count(DISTINCT symbol) AS resolutions,
           count(*) / sum(count(*)) OVER (PARTITION BY session) AS share,
           rank() OVER (PARTITION BY session ORDER BY count(*) DESC, coalesce(verb, '(none)')) AS rank
    FROM core.fact_paragraph
    WHERE kind = 'operative'
    GROUP BY session, coalesce(verb, '(none)')
) v JOIN session_totals s USING (session)
LEFT JOIN session_coverage c USING (session);
