-- step: core
-- depends: core._current_paragraph, core._current_resolution, staging.subparagraph

CREATE TABLE IF NOT EXISTS core.fact_paragraph (
    paragraph_key BIGINT,
    resolution_key BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    year INTEGER,
    kind VARCHAR NOT NULL,
    ordinal INTEGER NOT NULL,
    number VARCHAR,
    numbering_block INTEGER NOT NULL,
    lead_phrase VARCHAR,
    verb VARCHAR,                             -- the lead phrase's verb, without adverbs: "also requests" -> "requests"
    heading VARCHAR,
    text VARCHAR NOT NULL,
    subparagraphs INTEGER NOT NULL,
    footnotes INTEGER NOT NULL,
    words INTEGER NOT NULL
);

-- build
INSERT INTO core.fact_paragraph BY NAME
SELECT
    p.paragraph_key,
    resolution_key_of(p.symbol) AS resolution_key,
    p.symbol,
    $session AS session,
    year(r.adopted_on) AS year,
    p.kind,
    p.ordinal,
    p.number,
    p.numbering_block,
    p.lead_phrase,
    -- The verb of the lead phrase: adverbs dropped ("Also requests", "Further requests" ->
    -- "requests"), phrasal verbs kept whole ("calls upon", "takes note", "bearing in mind"),
    -- objects dropped ("Notes with concern" -> "notes", "Expresses its appreciation" -> "expresses").
    nullif(regexp_extract(
        trim(regexp_replace(
            regexp_replace(lower(p.lead_phrase),
                '\b(also|further|again|once|strongly|deeply|gravely|seriously|firmly|urgently|furthermore|moreover|likewise|in this regard|in that regard|in this context|in this connection|in particular)\b',
                ' ', 'g'),
            '\s+', ' ', 'g')),
        '^(calls (upon|for|on)|calling (upon|for|on)|takes? (note|into account|into consideration)|taking (note|into account|into consideration)|bearing in mind|looks? forward|looking forward|having [a-z]+|pays tribute|paying tribute|draws attention|drawing attention|[a-z-]+)',
        1), '') AS verb,
    p.heading,
    p.text,
    coalesce(sc.subparagraphs, 0) AS subparagraphs,
    coalesce(len(p.footnote_markers), 0) AS footnotes,
    word_count(p.text) AS words  -- len(string_split_regex(trim(text), '\s+')), faster: ddl/001_schemas.sql
FROM current_paragraph p
JOIN current_resolution r ON r.document_id = p.document_id AND r.symbol = p.symbol
LEFT JOIN (
    SELECT document_id, symbol, paragraph_kind, paragraph_ordinal, count(*) AS subparagraphs
    FROM staging.subparagraph WHERE session = $session GROUP BY ALL
) sc ON sc.document_id = p.document_id AND sc.symbol = p.symbol
    AND sc.paragraph_kind = p.kind AND sc.paragraph_ordinal = p.ordinal;
