-- step: global
-- depends: marts._session_coverage, marts._session_totals, marts.mandates

CREATE TABLE IF NOT EXISTS marts.mandates_by_entity_session (
    actor_id VARCHAR NOT NULL,
    entity VARCHAR,
    session INTEGER NOT NULL,
    mandates INTEGER NOT NULL,
    resolutions INTEGER NOT NULL,
    reports_requested INTEGER NOT NULL,
    verbs VARCHAR[] NOT NULL,
    symbols VARCHAR[] NOT NULL,
    all_resolutions INTEGER NOT NULL,
    all_operative_paragraphs INTEGER NOT NULL,
    resolution_share DOUBLE NOT NULL,
    mandate_share DOUBLE NOT NULL,
    coverage DOUBLE,
    is_complete BOOLEAN NOT NULL
);

-- build
-- Mandates per UN entity and session (marts.mandates).
INSERT INTO marts.mandates_by_entity_session BY NAME
SELECT m.*, s.all_resolutions, s.all_operative_paragraphs,
       m.resolutions / greatest(s.all_resolutions, 1) AS resolution_share,
       m.mandates / greatest(s.all_operative_paragraphs, 1) AS mandate_share,
       c.coverage, coalesce(c.is_complete, false) AS is_complete
FROM (
    SELECT actor_id, any_value(entity) AS entity, session,
           count(DISTINCT (symbol, paragraph_ordinal)) AS mandates,
           count(DISTINCT symbol) AS resolutions,
           count(DISTINCT (symbol, paragraph_ordinal)) FILTER (WHERE report_requested) AS reports_requested,
           list(DISTINCT verb ORDER BY verb) FILTER (WHERE verb IS NOT NULL) AS verbs,
           list(DISTINCT symbol ORDER BY symbol) AS symbols
    FROM marts.mandates
    GROUP BY actor_id, session
) m JOIN session_totals s USING (session)
LEFT JOIN session_coverage c USING (session);
