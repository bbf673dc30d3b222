-- step: core
-- depends: core._current_resolution, core._session_metadata

-- Where the official XML and DGACM's metadata disagree: both values kept.
CREATE TABLE IF NOT EXISTS core.metadata_discrepancy (
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    field VARCHAR NOT NULL,
    xml_value VARCHAR,
    metadata_value VARCHAR
);

-- build
-- Disagreements between the XML and DGACM's metadata, field by field.
INSERT INTO core.metadata_discrepancy BY NAME
WITH pairs AS (
    SELECT r.symbol, unnest([
        -- Titles compare letters and digits only; DGACM runs the titles of all parts of a
        -- collection together, so a part's title need only stand inside the metadata's.
        {'field': 'title', 'x': r.title, 'm': m.title,
         'same': CASE WHEN r.part IS NULL
                      THEN lower(regexp_replace(r.title, '[^A-Za-z0-9]+', '', 'g'))
                           = lower(regexp_replace(coalesce(m.title, ''), '[^A-Za-z0-9]+', '', 'g'))
                      ELSE contains(lower(regexp_replace(coalesce(m.title, ''), '[^A-Za-z0-9]+', '', 'g')),
                                    lower(regexp_replace(regexp_replace(r.title, '^[^:]*:', ''), '[^A-Za-z0-9]+', '', 'g')))
                 END},
        {'field': 'adopted_on', 'x': r.adopted_on::VARCHAR, 'm': m.adopted_on::VARCHAR,
         'same': r.adopted_on IS NOT DISTINCT FROM m.adopted_on},
        -- DGACM's metadata says "Fourth Committee" for the XML's "Special Political and
        -- Decolonization Committee (Fourth Committee)".
        {'field': 'committee', 'x': r.committee, 'm': m.committee,
         'same': lower(r.committee) IS NOT DISTINCT FROM lower(m.committee)
                 OR contains(lower(r.committee), '(' || lower(m.committee) || ')')},
        {'field': 'agenda_items', 'x': array_to_string(list_sort(r.agenda_items), ', '),
         'm': array_to_string(list_sort(m.agenda_items), ', '),
         'same': list_sort(r.agenda_items) IS NOT DISTINCT FROM list_sort(m.agenda_items)},
        {'field': 'meeting_number',
         'x': regexp_extract(r.plenary_meeting, '^(\d+)', 1), 'm': m.meeting_number::VARCHAR,
         'same': regexp_extract(r.plenary_meeting, '^(\d+)', 1) IS NOT DISTINCT FROM m.meeting_number::VARCHAR},
        {'field': 'vote_outcome', 'x': r.vote_outcome, 'm': m.vote_outcome,
         'same': r.vote_outcome IS NOT DISTINCT FROM m.vote_outcome},
        {'field': 'votes', 'x': concat_ws('-', coalesce(r.votes_in_favour::VARCHAR, '?'), coalesce(r.votes_against::VARCHAR, '?'), coalesce(r.votes_abstaining::VARCHAR, '?')),
         'm': concat_ws('-', coalesce(m.votes_in_favour::VARCHAR, '?'), coalesce(m.votes_against::VARCHAR, '?'), coalesce(m.votes_abstaining::VARCHAR, '?')),
         'same': r.vote_outcome IS DISTINCT FROM 'recorded_vote'
                 OR (r.votes_in_favour, r.votes_against, r.votes_abstaining)
                    IS NOT DISTINCT FROM (m.votes_in_favour, m.votes_against, m.votes_abstaining)}
    ]) AS p
    FROM current_resolution r
    JOIN session_metadata m ON m.xml_symbol = r.symbol
)
SELECT symbol, $session AS session, p.field AS field, p.x AS xml_value, p.m AS metadata_value
FROM pairs
WHERE NOT coalesce(p.same, false);
