"""Great Expectations 1.x quality suites for the warehouse and its published snapshot.

* :mod:`expectations.suites` -- the suites (names, blocking or warning-only, tables, the
  semantic expectations and cross-table rules, each with its rationale); cheap to import.
* :mod:`expectations.spec` -- the vocabulary they are written in, and the expectations
  generated from ``warehouse/codebook.yaml``.
* ``expectations/sql/`` -- one SQL file per cross-table rule, returning the rows that break it.
* :mod:`expectations.runner` -- :func:`~expectations.runner.run_suites`, which validates a
  DuckDB connection and builds GE's Data Docs (imports GE on first use); what it returns is
  in :mod:`expectations.results`, the expectations are evaluated as SQL in DuckDB by
  :mod:`expectations.sqlcheck` with GE's semantics, the codebook and rules frames are read by
  :mod:`expectations.frames`, and GE is wrapped in :mod:`expectations.ge`.
* :mod:`expectations.docs` -- the offline entry page of the Data Docs.
* :mod:`expectations.gate` -- the publish gate: :func:`~expectations.gate.publish` is
  ``warehouse.publish.publish`` with the suites judging the written snapshot.
"""
