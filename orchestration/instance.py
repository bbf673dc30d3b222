"""The Dagster instance under the data directory, as `make dagster` and `unga build` use it.

Its configuration is orchestration/dagster.yaml (the warehouse pool, run retries, run
monitoring), copied to <data-dir>/dagster_home/dagster.yaml. `make dagster` runs
``python -m orchestration.instance <dagster_home>`` before it starts Dagster.
"""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg

from orchestration.resources import WAREHOUSE_POOL

INSTANCE_YAML = Path(__file__).with_name("dagster.yaml")


def write_instance_config(home: Path) -> Path:
    """<home>/dagster.yaml as orchestration/dagster.yaml has it, ``${DAGSTER_HOME}`` standing for
    ``home`` (rewritten only when it differs)."""
    home.mkdir(parents=True, exist_ok=True)
    target = home / "dagster.yaml"
    text = INSTANCE_YAML.read_text(encoding="utf-8").replace(
        "${DAGSTER_HOME}", str(home.resolve()).replace("'", "''"))  # inside a single-quoted YAML scalar
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target


def open_instance(home: Path) -> dg.DagsterInstance:
    """The instance in ``home``, configured, with the warehouse pool's limit in place.

    The queued run coordinator gives a pool its default limit (`default_limit` in the
    configuration) only when it first meets a queued run that uses it, and dequeues that
    first batch before the limit applies: six runs requested at once on a fresh instance
    let two start together. Setting the limit here, before any run is queued, closes that
    gap. A limit set by hand (the UI's concurrency page, `dagster instance concurrency
    set`) is kept.
    """
    write_instance_config(home)
    instance = dg.DagsterInstance.from_config(str(home))
    storage = instance.event_log_storage
    if WAREHOUSE_POOL not in {limit.name for limit in storage.get_pool_limits()}:
        storage.initialize_concurrency_limit_to_default(WAREHOUSE_POOL)
    return instance


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        sys.exit("usage: python -m orchestration.instance DAGSTER_HOME")
    with open_instance(Path(argv[0])) as instance:
        limits = {limit.name: limit.limit for limit in instance.event_log_storage.get_pool_limits()}
    print(f"Dagster instance {argv[0]}: runs writing the warehouse, at most {limits.get(WAREHOUSE_POOL)} at a time")


if __name__ == "__main__":
    main(sys.argv[1:])
