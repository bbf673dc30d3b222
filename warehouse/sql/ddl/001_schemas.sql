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
