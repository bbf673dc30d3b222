-- Dashboard, series lineage: the series a resolution belongs to (no row when none).
SELECT series_id, symbol, position FROM marts.series WHERE symbol = $symbol;
