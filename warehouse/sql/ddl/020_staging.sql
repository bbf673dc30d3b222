-- Parser output, one row set per document; duplicates and reissues are all here,
-- the choice of the current text is made in staging.document_status.
CREATE TABLE IF NOT EXISTS staging.document_status (
    document_id VARCHAR NOT NULL,
    session INTEGER NOT NULL,
    symbol VARCHAR NOT NULL,
    status VARCHAR NOT NULL,                  -- current | superseded | duplicate
    superseded_by VARCHAR,
    reason VARCHAR
);

CREATE TABLE IF NOT EXISTS staging.resolution (
    session INTEGER NOT NULL,
    document_id VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL,
    base_symbol VARCHAR NOT NULL,
    part VARCHAR,
    resolution_session INTEGER NOT NULL,
    session_label VARCHAR NOT NULL,
    adopted_on DATE,
    title VARCHAR NOT NULL,
    source_format VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    agenda_items VARCHAR[],
    agenda_item_names VARCHAR[],
    committee VARCHAR,
    originating_document VARCHAR,
    report_symbol VARCHAR,
    report_paragraph VARCHAR,
    plenary_meeting VARCHAR,
    vote_outcome VARCHAR,
    votes_in_favour INTEGER,
    votes_against INTEGER,
    votes_abstaining INTEGER,
    draft_symbol VARCHAR,
    sdgs VARCHAR[],
    frbr_uri VARCHAR,
    published_on DATE,
    is_reissue BOOLEAN,
    parse_notes VARCHAR[]
);

CREATE TABLE IF NOT EXISTS staging.paragraph (
    session INTEGER NOT NULL,
    document_id VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    ordinal INTEGER NOT NULL,
    number VARCHAR,
    numbering_block INTEGER NOT NULL,
    lead_phrase VARCHAR,
    heading VARCHAR,
    text VARCHAR NOT NULL,
    footnote_markers VARCHAR[]
);

CREATE TABLE IF NOT EXISTS staging.subparagraph (
    session INTEGER NOT NULL,
    document_id VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL,
    paragraph_kind VARCHAR NOT NULL,
    paragraph_ordinal INTEGER NOT NULL,
    sub_ordinal INTEGER NOT NULL,
    label VARCHAR,
    depth INTEGER NOT NULL,
    text VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS staging.footnote (
    session INTEGER NOT NULL,
    document_id VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL,
    footnote_ordinal INTEGER NOT NULL,
    marker VARCHAR,
    text VARCHAR,
    paragraph_kind VARCHAR NOT NULL,
    paragraph_ordinal INTEGER NOT NULL,
    location VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS staging.citation (
    session INTEGER NOT NULL,
    document_id VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL,
    paragraph_kind VARCHAR NOT NULL,
    paragraph_ordinal INTEGER NOT NULL,
    target_symbol VARCHAR NOT NULL,
    href VARCHAR,
    anchor_text VARCHAR,
    in_footnote BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS staging.sponsor (
    session INTEGER NOT NULL,
    document_id VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    sponsor VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS staging.vote (
    session INTEGER NOT NULL,
    document_id VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL,
    vote VARCHAR NOT NULL,
    state VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS staging.keyword (
    session INTEGER NOT NULL,
    document_id VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL,
    dictionary VARCHAR,
    term VARCHAR NOT NULL
);

-- DGACM's metadata, one row per resolution symbol (collections expanded to parts).
CREATE TABLE IF NOT EXISTS staging.metadata (
    session INTEGER NOT NULL,
    document_id VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL,
    metadata_symbol VARCHAR NOT NULL,
    resolution_session INTEGER,
    title VARCHAR,
    adopted_on DATE,
    adoption_meeting VARCHAR,
    meeting_number INTEGER,
    committee VARCHAR,
    agenda_items VARCHAR[],
    agenda_item_name VARCHAR,
    originating_document VARCHAR,
    report_paragraph VARCHAR,
    vote_outcome VARCHAR,
    votes_in_favour INTEGER,
    votes_against INTEGER,
    votes_abstaining INTEGER,
    voters_in_favour VARCHAR[],
    voters_against VARCHAR[],
    voters_abstaining VARCHAR[],
    sponsors VARCHAR[],
    additional_sponsors VARCHAR[],
    sdgs VARCHAR[],
    subjects STRUCT(term VARCHAR, source VARCHAR)[],
    line_number INTEGER,
    row_sha256 VARCHAR
);

CREATE TABLE IF NOT EXISTS staging.metadata_problem (
    session INTEGER NOT NULL,
    document_id VARCHAR NOT NULL,
    line_number INTEGER,
    symbol VARCHAR,
    problem VARCHAR NOT NULL,
    raw VARCHAR
);

-- Text versions compared with the official XML of the same symbol (transforms/reconcile.py).
CREATE TABLE IF NOT EXISTS staging.text_reconciliation (
    session INTEGER NOT NULL,
    symbol VARCHAR NOT NULL,
    xml_document_id VARCHAR NOT NULL,
    text_document_id VARCHAR NOT NULL,
    text_source VARCHAR,
    paragraphs_xml INTEGER,
    paragraphs_text INTEGER,
    paragraphs_same INTEGER,
    paragraphs_differs INTEGER,
    paragraphs_missing INTEGER,
    paragraphs_extra INTEGER,
    min_similarity DOUBLE,
    mean_similarity DOUBLE,
    footnotes_xml INTEGER,
    footnotes_text INTEGER,
    footnotes_same INTEGER,
    footnotes_misplaced INTEGER,
    footnotes_missing INTEGER,
    footnotes_extra INTEGER,
    agreement DOUBLE,
    footnote_agreement DOUBLE,
    lead_boundary_differences INTEGER,
    passed BOOLEAN NOT NULL,
    reasons VARCHAR[]
);

CREATE TABLE IF NOT EXISTS staging.text_reconciliation_paragraph (
    session INTEGER NOT NULL,
    symbol VARCHAR NOT NULL,
    xml_document_id VARCHAR,
    text_document_id VARCHAR,
    kind VARCHAR,
    xml_ordinal INTEGER,
    text_ordinal INTEGER,
    xml_number VARCHAR,
    text_number VARCHAR,
    xml_lead_phrase VARCHAR,
    text_lead_phrase VARCHAR,
    number_match BOOLEAN,
    lead_phrase_match BOOLEAN,
    similarity DOUBLE,
    status VARCHAR NOT NULL,
    diff VARCHAR
);

CREATE TABLE IF NOT EXISTS staging.text_reconciliation_footnote (
    session INTEGER NOT NULL,
    symbol VARCHAR NOT NULL,
    xml_document_id VARCHAR,
    text_document_id VARCHAR,
    marker VARCHAR,
    xml_paragraph_kind VARCHAR,
    xml_paragraph_ordinal INTEGER,
    text_paragraph_kind VARCHAR,
    text_paragraph_ordinal INTEGER,
    paragraph_match BOOLEAN,
    similarity DOUBLE,
    status VARCHAR NOT NULL
);
