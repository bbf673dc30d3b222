-- Dashboard, status: the operational tables this snapshot has (newer builds add some).
SELECT table_name
FROM information_schema.tables
WHERE table_catalog = current_database() AND table_schema = 'ops'
ORDER BY table_name;
