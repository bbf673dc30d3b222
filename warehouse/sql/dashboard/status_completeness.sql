-- Dashboard, status: completeness against DGACM's metadata per session (only in
-- snapshots that have it).
SELECT * FROM ops.completeness;
