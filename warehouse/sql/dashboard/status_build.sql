-- Dashboard, status: which build wrote the snapshot.
SELECT * FROM ops.build_info;
