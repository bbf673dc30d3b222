-- Layers of the warehouse: raw (bytes as landed), staging (parsed, per document),
-- core (the star schema analysts query), marts (answers over time), ops (runs).
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS marts;
CREATE SCHEMA IF NOT EXISTS ops;

-- The surrogate keys, written once: a hash of what identifies the row, stable from one
-- build to the next (the codebook's conventions). 65 bits shifted off md5's 128 leave a
-- non-negative BIGINT. expectations/sql/surrogate_keys_are_stable_hashes.sql restates
-- the formulas on purpose, to check the published snapshot against them independently.
CREATE OR REPLACE MACRO resolution_key_of(symbol) AS (md5_number(symbol) >> 65)::BIGINT;
CREATE OR REPLACE MACRO paragraph_key_of(symbol, kind, ordinal) AS
    (md5_number(symbol || '|' || kind || '|' || ordinal) >> 65)::BIGINT;
CREATE OR REPLACE MACRO footnote_key_of(symbol, ordinal) AS (md5_number(symbol || '|fn|' || ordinal) >> 65)::BIGINT;

-- How many words a text holds, as core.fact_paragraph.words has always counted them:
-- len(string_split_regex(trim(s), '\s+')), the pieces of the trimmed text between runs of
-- RE2's \s (tab, newline, form feed, carriage return, space; not NBSP or other Unicode
-- spaces, which trim() strips at the ends only). An empty or all-space text counts 1.
-- The regex split was the core layer's largest cost, and almost every paragraph is
-- plainly spaced: when the trimmed text holds no \s but single spaces, the pieces are the
-- spaces plus one (trim leaves no space at either end), which string_split on ' ' counts
-- without a regex. Any other text (a tab, a line break, two spaces in a row) takes the
-- regex split itself, so the two branches count alike by construction (tests/test_word_count.py).
CREATE OR REPLACE MACRO word_count(s) AS
    CASE WHEN contains(trim(s), '  ') OR contains(s, chr(9)) OR contains(s, chr(10))
              OR contains(s, chr(12)) OR contains(s, chr(13))
         THEN len(string_split_regex(trim(s), '\s+'))
         ELSE len(string_split(trim(s), ' ')) END;
