-- Layers of the warehouse: raw (bytes as landed), staging (parsed, per document),
-- core (the star schema analysts query), marts (answers over time), ops (runs).
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS marts;
CREATE SCHEMA IF NOT EXISTS ops;
