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
from orchestration.sensors import MAX_REQUESTS, REQUEST_TAG, landing_sensor, publish_after_ingest
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
    written = (home / "dagster.yaml").read_text(encoding="utf-8")
    assert written == INSTANCE_YAML.read_text(encoding="utf-8").replace("${DAGSTER_HOME}", str(home.resolve()))
    assert "${" not in written
    with dg.DagsterInstance.from_config(str(home)) as instance:
        # The run history where Dagster keeps it by default, through the pooled writer.
        assert type(instance.event_log_storage).__name__ == "PooledSqliteEventLogStorage"
        assert Path(instance.event_log_storage._base_dir) == (home / "history" / "runs").resolve()
        concurrency = instance.get_concurrency_config()
        assert concurrency.pool_config.pool_granularity.value == "run"
        # The limit is in place before any run is queued (open_instance explains why).
        assert {(p.name, p.limit) for p in instance.event_log_storage.get_pool_limits()} == {(WAREHOUSE_POOL, 1)}
        assert instance.run_retries_enabled and instance.run_retries_max_retries == 2
        assert instance.run_coordinator.__class__.__name__ == "QueuedRunCoordinator"
        assert instance.run_coordinator.dequeue_interval_seconds == 2

    # A limit set by hand is kept; an older dagster.yaml is replaced.
    with dg.DagsterInstance.from_config(str(home)) as instance:
        instance.event_log_storage.set_concurrency_slots(WAREHOUSE_POOL, 2)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    with open_instance(home) as instance:
        assert {(p.name, p.limit) for p in instance.event_log_storage.get_pool_limits()} == {(WAREHOUSE_POOL, 2)}
    assert (home / "dagster.yaml").read_text(encoding="utf-8") == written

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


# -- six session runs at once through a real daemon ---------------------------------------
def _records(instance) -> list[dg.RunRecord]:
    return sorted(instance.get_run_records(), key=lambda r: r.create_timestamp)


def _failure_message(instance, run_id: str) -> str:
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.RUN_FAILURE).records
    event = records[0].event_log_entry.dagster_event
    error = event.event_specific_data.error
    text = []
    while error is not None:
        text.append(error.message)
        error = error.cause or error.context
    return "\n".join(text)


def test_six_session_runs_at_once_are_serialised_and_a_failed_run_is_retried(tmp_path):
    """`make dagster` right after the landing of six sessions: the landing sensor requests six
    runs at once. The first run to start finds the warehouse held by another process (this
    test, standing in for an `unga build` or a DuckDB CLI) and fails; Dagster retries it. No
    two runs that write the warehouse are ever in progress together, and every session ends
    built."""
    paths = make_small_data_dir(tmp_path / "data", SESSIONS)
    home = paths.dagster_home
    subprocess.run([BIN / "python", "-m", "orchestration.instance", str(home)], cwd=REPO, check=True,
                   capture_output=True)
    lock = _Lock(paths)
    env = {**os.environ, "DAGSTER_HOME": str(home), ENV_VAR: str(paths.root), "UNGA_WORKERS": "1"}
    log = (tmp_path / "daemon.log").open("w")
    daemon = subprocess.Popen([BIN / "dagster-daemon", "run", "-m", "orchestration.definitions"], cwd=REPO,
                              env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    started, released = time.time(), None
    try:
        with dg.DagsterInstance.from_config(str(home)) as instance:
            while True:
                assert daemon.poll() is None, (tmp_path / "daemon.log").read_text()[-3000:]
                assert time.time() - started < 400, [(r.dagster_run.tags.get("dagster/partition"),
                                                      r.dagster_run.status) for r in _records(instance)]
                runs = [r.dagster_run for r in _records(instance)]
                ingest = [r for r in runs if r.job_name == "ingest_session"]
                if released is None and any(r.status == dg.DagsterRunStatus.FAILURE for r in ingest):
                    lock.release()
                    released = time.time()
                built = {r.tags["dagster/partition"] for r in ingest if r.status == dg.DagsterRunStatus.SUCCESS}
                if built == {str(s) for s in SESSIONS} and any(r.job_name == "publish_snapshot" for r in runs):
                    break
                time.sleep(0.5)
            elapsed = time.time() - started
            records = _records(instance)
            partitions = instance.get_dynamic_partitions(ga_session.name)
            failures = {r.dagster_run.run_id: _failure_message(instance, r.dagster_run.run_id)
                        for r in records if r.dagster_run.status == dg.DagsterRunStatus.FAILURE}
    finally:
        lock.release()
        os.killpg(daemon.pid, signal.SIGTERM)
        try:
            daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()
        log.close()

    assert partitions == [str(s) for s in SESSIONS]
    ingest = [r for r in records if r.dagster_run.job_name == "ingest_session"]
    requested = [r for r in ingest if r.dagster_run.parent_run_id is None]
    # Six runs requested at once by one tick, one per session, each carrying its request.
    assert sorted(r.dagster_run.tags["dagster/partition"] for r in requested) == [str(s) for s in SESSIONS]
    assert all(r.dagster_run.tags["dagster/sensor_name"] == "landing_sensor" for r in requested)
    assert all(r.dagster_run.tags[REQUEST_TAG] == r.dagster_run.tags["dagster/run_key"] for r in requested)

    # Serialised: no run that writes the warehouse started before the previous one ended.
    spans = sorted((r.start_time, r.end_time, r.dagster_run.run_id) for r in records if r.start_time)
    for (_, end, first), (start, _, second) in zip(spans, spans[1:]):
        assert end is not None and end <= start, f"runs {first[:8]} and {second[:8]} overlapped"

    # The only failures are the runs that met this test's lock, before it was released, and
    # each was retried by Dagster (run_retries in dagster.yaml), the retry succeeding.
    assert failures, "the lock held at the start should have failed the first run"
    by_id = {r.dagster_run.run_id: r for r in records}
    for run_id, message in failures.items():
        assert "is open in another process" in message and "Conflicting lock" in message, message
        assert by_id[run_id].end_time <= released + 1
        run = by_id[run_id].dagster_run
        assert run.tags.get(WILL_RETRY_TAG) == "true"
        retry = by_id[run.tags[AUTO_RETRY_RUN_ID_TAG]].dagster_run
        assert retry.parent_run_id == run_id and retry.tags["dagster/retry_number"] == "1"
        assert retry.tags[REQUEST_TAG] == run.tags[REQUEST_TAG]  # the sensor still recognises it
    succeeded = [r for r in ingest if r.dagster_run.status == dg.DagsterRunStatus.SUCCESS]
    assert len(succeeded) == len(SESSIONS)
    assert all(r.dagster_run.status in (dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE) for r in ingest)

    # Published once the last session run succeeded, not once per session.
    publishes = [r for r in records if r.dagster_run.job_name == "publish_snapshot"]
    assert 1 <= len(publishes) < len(SESSIONS)
    assert publishes[0].create_timestamp.timestamp() >= max(r.end_time for r in succeeded)

    # Every session is in the warehouse.
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    try:
        loaded = [s for (s,) in con.execute("SELECT DISTINCT session FROM core.dim_resolution ORDER BY 1").fetchall()]
    finally:
        con.close()
    assert loaded == SESSIONS
    print(f"\n{len(SESSIONS)} session runs requested at once: {len(succeeded)} succeeded, {len(failures)} failed on "
          f"the held lock and were retried, in {elapsed:.0f} s")


# -- the landing sensor does not forget a session whose run failed --------------------------
def test_landing_sensor_requests_a_failed_session_again(definitions_module, tmp_path):
    """Real runs of the requested job, in the instance `make dagster` uses: a run that failed
    (and that Dagster will not retry) is requested again on the next tick; one that Dagster
    is about to retry is not; after MAX_REQUESTS failures the sensor waits for a change."""
    paths = make_small_data_dir(tmp_path / "data", [78])
    spent = {MAX_RETRIES_TAG: "0"}  # as after the instance's own retries were used up
    with open_instance(tmp_path / "dagster_home") as instance:
        first = _tick(instance, paths)
        [a1] = first.run_requests
        assert a1.partition_key == "78" and a1.tags[REQUEST_TAG] == a1.run_key
        assert _tick(instance, paths, first.cursor).run_requests == []  # requested, its run not yet created

        lock = _Lock(paths)  # the warehouse held by another process: the run cannot start
        failed = _run_request(definitions_module, paths, instance, a1, spent)
        assert not failed.success
        assert "is open in another process" in _failure_message(instance, failed.run_id)
        assert instance.get_run_by_id(failed.run_id).tags[WILL_RETRY_TAG] == "false"
        second = _tick(instance, paths, first.cursor)
        [a2] = second.run_requests
        assert a2.partition_key == "78" and a2.run_key != a1.run_key and a2.run_key.endswith(":request-2")

        # A failed run that Dagster will retry (run_retries in dagster.yaml) is left to that retry.
        retried = _run_request(definitions_module, paths, instance, a2)
        assert not retried.success
        assert instance.get_run_by_id(retried.run_id).tags[WILL_RETRY_TAG] == "true"
        waiting = _tick(instance, paths, second.cursor)
        assert waiting.run_requests == []

        # The retry succeeds (it carries the request's tags): the session is handled.
        lock.release()
        assert _run_request(definitions_module, paths, instance, a2).success
        handled = _tick(instance, paths, waiting.cursor)
        assert handled.run_requests == []
        assert json.loads(handled.cursor)["78"]["outcome"] == "succeeded"
        assert _tick(instance, paths, handled.cursor).run_requests == []

        # A change that fails every time: requested MAX_REQUESTS times, then no more.
        extra = paths.landing / "extra.xml"
        with zipfile.ZipFile(paths.landing / ZIP.format(78)) as zf:
            extra.write_bytes(zf.read(sorted(n for n in zf.namelist() if n.endswith(".xml"))[0]))
        lock = _Lock(paths)
        cursor, keys = handled.cursor, []
        for attempt in range(1, MAX_REQUESTS + 1):
            tick = _tick(instance, paths, cursor)
            [request] = tick.run_requests
            keys.append(request.run_key)
            assert not _run_request(definitions_module, paths, instance, request, spent).success
            cursor = tick.cursor
        assert len(set(keys)) == MAX_REQUESTS
        given_up = _tick(instance, paths, cursor)
        assert given_up.run_requests == []
        assert f"session 78 failed {MAX_REQUESTS} times" in given_up.skip_reason.skip_message
        assert _tick(instance, paths, given_up.cursor).run_requests == []
        lock.release()
        # ... until its files change again.
        extra.unlink()
        [again] = _tick(instance, paths, given_up.cursor).run_requests
        assert again.partition_key == "78" and again.run_key not in keys


def test_publish_after_ingest_waits_for_the_last_session_run(definitions_module, tmp_path):
    """Six session runs succeeding one after another publish once, after the last: a session
    run that succeeds while another is still queued does not request the publish run."""
    paths = make_small_data_dir(tmp_path / "data", [78])
    defs = definitions_module.build_definitions(paths)
    job = defs.resolve_job_def("ingest_session")
    with open_instance(tmp_path / "dagster_home") as instance:
        instance.add_dynamic_partitions(ga_session.name, ["78"])
        done = job.execute_in_process(partition_key="78", instance=instance)
        queued = instance.create_run_for_job(job, tags={"dagster/partition": "78"})  # not started yet
        run = instance.get_run_by_id(done.run_id)

        def evaluate():
            with dg.build_run_status_sensor_context(sensor_name="publish_after_ingest", dagster_instance=instance,
                                                    dagster_run=run, dagster_event=done.get_run_success_event()) as ctx:
                return publish_after_ingest(ctx)

        skipped = evaluate()
        assert isinstance(skipped, dg.SkipReason) and "1 other session run" in skipped.skip_message
        instance.report_run_canceled(instance.get_run_by_id(queued.run_id))
        request = evaluate()
        assert isinstance(request, dg.RunRequest) and request.run_key == done.run_id

        # The sensor sees a success late, when the next session run has succeeded too: that one publishes.
        later = job.execute_in_process(partition_key="78", instance=instance)
        skipped = evaluate()
        assert isinstance(skipped, dg.SkipReason) and f"{later.run_id[:8]} succeeded later" in skipped.skip_message


# -- unga build through Dagster: --force, and failures told without a stack trace -----------
@pytest.fixture(scope="module")
def built_small(tmp_path_factory):
    """Session 78 (three resolutions) built and published by `build_with_dagster`, as `unga build` does."""
    paths = make_small_data_dir(tmp_path_factory.mktemp("small78") / "data", [78])
    summary = build_with_dagster(paths)
    assert summary["status"] == "published", summary
    return paths


def _copy(source: Paths, root: Path) -> Paths:
    import shutil

    shutil.copytree(source.root, root)
    return Paths(root)


def _unga(paths: Paths, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BIN / "unga", "--data-dir", str(paths.root), *args], cwd=REPO, capture_output=True,
                          text=True, timeout=300)


def test_build_force_through_dagster_rebuilds(built_small, tmp_path):
    paths = _copy(built_small, tmp_path / "data")
    said: list[str] = []
    assert build_with_dagster(paths, progress=said.append)["session_runs"] == {}  # nothing changed: no run
    before = paths.snapshot.stat()

    forced = build_with_dagster(paths, progress=said.append, force=True)
    assert forced["status"] == "published" and forced["session_runs"] == {78: "success"} and forced["forced"]
    with instance_for(paths) as instance:
        runs = instance.get_runs(filters=dg.RunsFilter(tags={"unga/force": "true"}))
        assert len(runs) == 1 and runs[0].status == dg.DagsterRunStatus.SUCCESS
        mats = {r.asset_key.to_user_string(): r.asset_materialization.metadata
                for key in (["raw", "documents"], ["core", "dim_resolution"], ["marts", "series"],
                            ["published", "snapshot"])
                for r in instance.fetch_materializations(
                    dg.AssetRecordsFilter(asset_key=dg.AssetKey(key)), limit=1).records
                if r.run_id == runs[0].run_id}
    # Every layer was rebuilt, not skipped by its fingerprint, and the snapshot written again.
    assert mats["raw/documents"]["skipped_unchanged"].value is False
    assert mats["core/dim_resolution"]["skipped_unchanged"].value is False
    assert mats["core/dim_resolution"]["rows"].value == 3
    assert mats["marts/series"]["skipped_unchanged"].value is False
    assert mats["published/snapshot"]["rewritten"].value is True
    after = paths.snapshot.stat()
    assert (after.st_ino, after.st_mtime_ns) != (before.st_ino, before.st_mtime_ns)

    # The command line passes it on: a run, although nothing changed.
    done = _unga(paths, "build", "--force")
    assert done.returncode == 0, done.stderr
    assert "nothing changed" not in done.stderr and "session 78 and the snapshot: running in Dagster" in done.stderr
    with instance_for(paths) as instance:
        assert len(instance.get_runs(filters=dg.RunsFilter(tags={"unga/force": "true"}))) == 2


def test_build_through_dagster_says_why_it_failed_without_a_stack_trace(built_small, tmp_path):
    paths = _copy(built_small, tmp_path / "data")
    published = paths.snapshot.read_bytes()
    con = duckdb.connect(str(paths.warehouse))
    con.execute("INSERT INTO core.dim_resolution SELECT * FROM core.dim_resolution ORDER BY symbol LIMIT 1")
    con.close()

    blocked = _unga(paths, "build")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1, output
    assert "blocking check unique_keys on core/dim_resolution failed: 2 row(s) break it" in output
    assert "snapshot not published" in output
    assert "Traceback" not in output and "Stack Trace" not in output and "dagster._core" not in output, output
    assert paths.snapshot.read_bytes() == published
    failures = json.loads(paths.runs_log.read_text(encoding="utf-8").splitlines()[-1])["failures"]
    assert failures[0] == "blocking check unique_keys on core/dim_resolution failed: 2 row(s) break it"
    # A duplicated row shares its surrogate key: no resolution can be held back for it.
    assert failures[1:] == ["published/snapshot: not published, blocking checks failed: unique_keys (2 rows); "
                            "systemic: check unique_keys: 2 failing rows that name no resolution"]

    # The warehouse held by another process: said so, exit code 1, no trace.
    lock = _Lock(paths)
    try:
        busy = _unga(paths, "build", "--force")
    finally:
        lock.release()
    output = busy.stdout + busy.stderr
    assert busy.returncode == 1, output
    assert re.search(r"the warehouse \S+unga\.duckdb is open in another process, so this run could not start: "
                     r"IO Error: Could not set lock", output), output
    assert "session 78: failed" in output
    assert "Traceback" not in output and "Stack Trace" not in output, output


def test_unga_build_waits_for_a_run_writing_the_warehouse(tmp_path):
    """`unga build` runs outside the queue of `make dagster`: it waits for a run of that queue
    that is writing the warehouse, and a run of an earlier build whose process is gone (killed)
    is marked failed instead of being waited for (it would also hold the queue's pool)."""
    import socket
    import threading

    from orchestration.runner import PROCESS_TAG, wait_for_warehouse_runs, warehouse_runs_in_progress

    paths = Paths(tmp_path / "data")
    gate, started = threading.Event(), threading.Event()

    @dg.asset(pool=WAREHOUSE_POOL)
    def holds_the_warehouse():
        started.set()
        gate.wait(60)

    def run(tags):
        with instance_for(paths) as own:
            dg.materialize([holds_the_warehouse], instance=own, tags=tags, raise_on_error=False)

    with instance_for(paths) as instance:
        # A run in progress whose process is alive (this one): waited for until it ends.
        thread = threading.Thread(target=run, args=({PROCESS_TAG: f"{socket.gethostname()}:{os.getpid()}"},))
        thread.start()
        assert started.wait(60)
        [running] = warehouse_runs_in_progress(instance)
        said: list[str] = []
        threading.Timer(1.5, gate.set).start()
        began = time.time()
        assert wait_for_warehouse_runs(instance, said.append, poll_seconds=0.2) is True
        assert time.time() - began >= 1.4
        assert said == [f"waiting for Dagster run {running.run_id[:8]} (__ephemeral_asset_job__) to finish: it is "
                        f"writing the warehouse"]
        thread.join()
        assert instance.get_run_by_id(running.run_id).status == dg.DagsterRunStatus.SUCCESS

        # A run left STARTED by a process that is gone: marked failed, not waited for.
        gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True).stdout.strip()
        gate.clear(), started.clear()
        thread = threading.Thread(target=run, args=({PROCESS_TAG: f"{socket.gethostname()}:{gone}"},))
        thread.start()
        assert started.wait(60)
        [left] = warehouse_runs_in_progress(instance)
        said.clear()
        began = time.time()
        assert wait_for_warehouse_runs(instance, said.append, poll_seconds=0.2) is False
        assert time.time() - began < 5
        assert said == [f"run {left.run_id[:8]} of an earlier build was left unfinished (its process is gone): "
                        f"marked failed"]
        assert instance.get_run_by_id(left.run_id).status == dg.DagsterRunStatus.FAILURE
        gate.set()
        thread.join()


def test_pooled_event_log_reads_dagster_default_history(tmp_path):
    """orchestration/storage.py changes only how connections are made: history written by
    Dagster's own SQLite event log is read by the pooled one, and runs it writes are read
    back by Dagster's own class (an instance can switch either way)."""

    @dg.asset
    def one():
        return 1

    home = tmp_path / "dagster_home"
    home.mkdir()
    with dg.DagsterInstance.from_config(str(home)) as plain:  # no dagster.yaml: Dagster's defaults
        assert type(plain.event_log_storage).__name__ == "SqliteEventLogStorage"
        first = dg.materialize([one], instance=plain).run_id
    with open_instance(home) as pooled:
        assert type(pooled.event_log_storage).__name__ == "PooledSqliteEventLogStorage"
        assert pooled.get_latest_materialization_event(dg.AssetKey("one")).run_id == first
        second = dg.materialize([one], instance=pooled).run_id
        assert len(pooled.all_logs(first)) > 0 and len(pooled.all_logs(second)) > 0
    (home / "dagster.yaml").unlink()
    with dg.DagsterInstance.from_config(str(home)) as plain:
        assert plain.get_latest_materialization_event(dg.AssetKey("one")).run_id == second
        assert plain.get_run_by_id(second).is_success
