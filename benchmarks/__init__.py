"""Benchmarks of the warehouse build (issue 8): run ``python -m benchmarks.run`` or ``make bench``."""
