"""Dagster runs that cannot collide: the instance of `make dagster`, for real.

A real `dagster-daemon` on a temporary DAGSTER_HOME configured by orchestration/dagster.yaml
(through `python -m orchestration.instance`, as `make dagster` does) runs the landing
sensor's session runs against a temporary data dir; the sensor's re-requests, the publish
trigger, `unga build --force` and the failures `unga build` reports are run for real too.
No mocks: runs write real DuckDB warehouses built from copies of the bundled session files.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml
from dagster._core.storage.tags import AUTO_RETRY_RUN_ID_TAG, MAX_RETRIES_TAG, WILL_RETRY_TAG

from orchestration.instance import INSTANCE_YAML, open_instance
from orchestration.partitions import ga_session
from orchestration.resources import UngaPaths, WAREHOUSE_POOL
from orchestration.runner import build_with_dagster, instance_for
from tests.conftest import BUNDLED, META, REPO, ZIP
from warehouse.settings import ENV_VAR, Paths

BIN = Path(sys.executable).parent
SESSIONS = [74, 75, 76, 77, 78, 79]
_PLAIN_SYMBOL = re.compile(rb"<docNumber[^>]*>\s*(A/RES/\d+/\d+)\s*<")


def make_small_data_dir(root: Path, sessions: list[int], resolutions: int = 3) -> Paths:
    """A data dir whose landing holds, per session, a zip of a few of the bundled session's XML
    files (the first ones, in name order, that are one resolution each) and DGACM's metadata of
    those resolutions only: real sessions, small enough that a run is mostly Dagster's own cost."""
    paths = Paths(root)
    for session in sessions:
        target = paths.landing / ZIP.format(session)
        target.parent.mkdir(parents=True, exist_ok=True)
        symbols = set()
        with zipfile.ZipFile(BUNDLED / ZIP.format(session)) as zin, \
                zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
            for name in sorted(n for n in zin.namelist() if n.endswith(".xml")):
                content = zin.read(name)
                match = _PLAIN_SYMBOL.search(content)
                if match:
                    zout.writestr(name, content)
                    symbols.add(match.group(1).decode())
                if len(symbols) == resolutions:
                    break
        lines = [line for line in (BUNDLED / META.format(session)).read_text(encoding="utf-8").splitlines()
                 if line.strip() and json.loads(line)["symbol"] in symbols]
        assert len(lines) == resolutions, (session, symbols)
        meta = paths.landing / META.format(session)
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def _sensor_context(instance, paths: Paths, cursor: str | None):
    return dg.build_sensor_context(instance=instance, cursor=cursor,
                                   resources={"unga": UngaPaths(data_dir=str(paths.root))})


def _tick(instance, paths: Paths, cursor: str | None = None) -> dg.SensorResult:
    with _sensor_context(instance, paths, cursor) as context:
        result = landing_sensor(context)
    for request in result.dynamic_partitions_requests or []:
        if isinstance(request, dg.AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
    return result


def _run_request(definitions_module, paths: Paths, instance, request: dg.RunRequest, extra_tags=None):
    """Run what the sensor requested, in process, with the request's tags (as the daemon would launch it)."""
    job = definitions_module.build_definitions(paths).resolve_job_def(request.job_name)
    return job.execute_in_process(partition_key=request.partition_key, instance=instance, raise_on_error=False,
                                  tags={**request.tags, **(extra_tags or {})})


class _Lock:
    """The warehouse held read-write by another process, as `unga build` or the DuckDB CLI would hold it."""

    def __init__(self, paths: Paths):
        paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
        code = ("import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('held', flush=True); "
                "sys.stdin.read(); con.close()")
        self.process = subprocess.Popen([sys.executable, "-c", code, str(paths.warehouse)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "held"

    def release(self):
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=30)
            self.process = None


@pytest.fixture(scope="module")
def definitions_module(tmp_path_factory):
    """orchestration.definitions imported with UNGA_DATA_DIR on a temporary folder (never ./data)."""
    import importlib

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ENV_VAR, str(tmp_path_factory.mktemp("import-default") / "data"))
        if "orchestration.definitions" in sys.modules:
            return importlib.reload(sys.modules["orchestration.definitions"])
        return importlib.import_module("orchestration.definitions")


# -- the instance configuration ---------------------------------------------------------
def test_instance_configuration(tmp_path, definitions_module):
    """What `make dagster` writes: the warehouse pool at run granularity, limit 1, bounded retries."""
    config = yaml.safe_load(INSTANCE_YAML.read_text(encoding="utf-8"))
    assert config["concurrency"]["pools"] == {"granularity": "run", "default_limit": 1}
    assert config["run_retries"]["enabled"] is True and 0 < config["run_retries"]["max_retries"] <= 3

    home = tmp_path / "dagster_home"
    done = subprocess.run([BIN / "python", "-m", "orchestration.instance", str(home)], cwd=REPO,
                          capture_output=True, text=True, check=True)
    assert "at most 1 at a time" in done.stdout
    assert (home / "dagster.yaml").read_text(encoding="utf-8") == INSTANCE_YAML.read_text(encoding="utf-8")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        concurrency = instance.get_concurrency_config()
        assert concurrency.pool_config.pool_granularity.value == "run"
        # The limit is in place before any run is queued (open_instance explains why).
        assert {(p.name, p.limit) for p in instance.event_log_storage.get_pool_limits()} == {(WAREHOUSE_POOL, 1)}
        assert instance.run_retries_enabled and instance.run_retries_max_retries == 2
        assert instance.run_coordinator.__class__.__name__ == "QueuedRunCoordinator"

    # A limit set by hand is kept; an older dagster.yaml is replaced.
    with dg.DagsterInstance.from_config(str(home)) as instance:
        instance.event_log_storage.set_concurrency_slots(WAREHOUSE_POOL, 2)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    with open_instance(home) as instance:
        assert {(p.name, p.limit) for p in instance.event_log_storage.get_pool_limits()} == {(WAREHOUSE_POOL, 2)}
    assert (home / "dagster.yaml").read_text(encoding="utf-8") == INSTANCE_YAML.read_text(encoding="utf-8")

    # Every asset and every check writes the warehouse, so every one is in its pool: a run of
    # any of them (any job, the UI's Materialize button) waits for the others.
    defs = definitions_module.build_definitions(Paths(tmp_path / "data"))
    assert len(definitions_module.ASSETS) == 7
    assert {asset.op.pool for asset in definitions_module.ASSETS} == {WAREHOUSE_POOL}
    assert {check.op.pool for check in defs.asset_checks} == {WAREHOUSE_POOL}
    # So does a run of each job: it holds the pool whatever it materializes.
    for job in ("ingest_session", "publish_snapshot"):
        plan = defs.resolve_job_def(job)
        assert {node.definition.pool for node in plan.graph.node_dict.values()} == {WAREHOUSE_POOL}, job
