-- step: core
-- depends: 

-- The star schema. Paragraphs are the fact; resolutions, sessions, sponsors and cited
-- Keys are enforced by the blocking asset checks, not by constraints: DuckDB checks
-- unique indexes eagerly, which breaks delete-then-insert of a partition in one transaction.
-- documents are its dimensions and bridges. Every table carries the GA session it was
-- loaded under, the partition that a rebuild replaces.
CREATE TABLE IF NOT EXISTS core.dim_session (
    session INTEGER,
    label VARCHAR NOT NULL,                   -- "Seventy-eighth session" is printed; we keep "78th session"
    first_day DATE NOT NULL,
    last_day DATE NOT NULL,
    opening_year INTEGER NOT NULL
);

-- build
-- Build the star schema for one session from staging. Only the current text of each
-- symbol (staging.document_status) reaches core; superseded reissues stay in staging.
INSERT INTO core.dim_session BY NAME
SELECT
    $session AS session,
    $session || CASE WHEN $session % 100 IN (11, 12, 13) THEN 'th'
                     WHEN $session % 10 = 1 THEN 'st'
                     WHEN $session % 10 = 2 THEN 'nd'
                     WHEN $session % 10 = 3 THEN 'rd'
                     ELSE 'th' END || ' session' AS label,
    make_date(1945 + $session, 9, 1) AS first_day,
    make_date(1946 + $session, 9, 30) AS last_day,
    1945 + $session AS opening_year;
