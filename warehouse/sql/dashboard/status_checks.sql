-- Dashboard, status: the structural checks run before publishing.
SELECT check_name, violations FROM ops.check_result ORDER BY violations DESC, check_name;
