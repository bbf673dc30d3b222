"""Asset checks: the structural invariants of the star schema.

Each check runs one SQL file of warehouse/sql/checks over the whole warehouse and
fails with the offending rows in its metadata. The snapshot asset runs the same
checks again before it publishes, so a failure anywhere keeps the last good
snapshot in place.
"""


import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.assets import MODEL_KEYS
from orchestration.resources import WAREHOUSE_POOL
from warehouse import db, pipeline
from warehouse.registry import load_checks

# Each check's file says the table it guards and whether it blocks (warehouse/registry.py).
CHECKS = {c.name: c for c in load_checks()}


def evaluate(con, name: str) -> dg.AssetCheckResult:
    violations = pipeline.run_check(con, name)
    return dg.AssetCheckResult(
        passed=violations.height == 0,
        severity=dg.AssetCheckSeverity.ERROR if CHECKS[name].blocking else dg.AssetCheckSeverity.WARN,
        metadata={
            "violations": violations.height,
            "sample": dg.MetadataValue.md(_markdown(violations.head(10))) if violations.height else "none",
        },
    )


def _markdown(frame) -> str:
    cols = frame.columns
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.iter_rows()]
    return "\n".join(lines)


def _make_check(name: str) -> dg.AssetChecksDefinition:
    # Not blocking in Dagster: a failure that names resolutions holds them back at
    # publication (warehouse/holdback.py), which must still run; the snapshot asset runs the
    # checks again and blocks the snapshot itself when a failure is systemic.
    check = CHECKS[name]

    @dg.asset_check(asset=MODEL_KEYS[check.table], name=name, blocking=False,
                    description=check.description, pool=WAREHOUSE_POOL)
    def _check(duckdb: DuckDBResource) -> dg.AssetCheckResult:
        with duckdb.get_connection() as con:
            db.ensure_schema(con)
            return evaluate(con, name)

    return _check


structural_checks = [_make_check(name) for name in CHECKS]
