"""The Dagster side of the warehouse, run for real against temporary data dirs.

No stubs: assets, checks and the snapshot are materialized with `dg.materialize` on
the bundled session files, sensors and the schedule are evaluated against real
Dagster instances, and `build_with_dagster` (what `unga build` runs) records its
runs in the instance under the data directory.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import shutil
import sys
import zipfile
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_duckdb import DuckDBResource
from syrupy.extensions.json import JSONSnapshotExtension

from orchestration.assets import (
    CORE_TABLES,
    core_dimensions,
    GLOBAL_MARTS,
    core_star_schema,
    global_marts,
    published_snapshot,
    raw_documents,
    session_marts,
    staging_resolutions,
)
from expectations.suites import BLOCKING, SUITE_NAMES
from orchestration.checks import evaluate, structural_checks
from orchestration.partitions import ga_session
from orchestration.resources import UngaPaths, build_resources
from orchestration.runner import build_with_dagster, instance_for
from orchestration.sensors import landing_sensor, nightly_schedule, publish_after_ingest
from tests.conftest import BUNDLED, META, ZIP, make_data_dir
from warehouse.settings import ENV_VAR, Paths

INGEST = [raw_documents, staging_resolutions, core_star_schema, core_dimensions, session_marts, *structural_checks]
RESOLUTIONS_78 = 332
# The assets and checks one session's run materializes (the ingest job's selection).
INGEST_ASSETS = {k.to_user_string() for a in INGEST for k in a.keys}
CHECK_NAMES = {s.key.name for c in structural_checks for s in c.check_specs}


def _first_line(text: str | None) -> str | None:
    return text.strip().splitlines()[0] if text and text.strip() else None


def _graph_listing(defs: dg.Definitions) -> dict:
    """The definitions as the data the snapshot file holds: stable, sorted, no paths.

    A change to anything here (an asset added, a group renamed, a dependency moved, a
    check made blocking, a job's selection or a sensor's target changed) shows up as a
    diff of tests/__snapshots__/test_orchestration/test_definitions_snapshot.json.
    """
    graph = defs.resolve_asset_graph()
    assets = {}
    for spec in defs.resolve_all_asset_specs():
        node = graph.get(spec.key)
        entry = {
            "group": spec.group_name,
            "kinds": sorted(spec.kinds),
            "partitioned_by": node.partitions_def.name if node.partitions_def is not None else None,
            "deps": sorted(dep.asset_key.to_user_string() for dep in spec.deps),
            "description": _first_line(spec.description),
        }
        if spec.code_version is not None:
            # Whether the asset has one, not the hash: it changes with every edit of the model's
            # code (tests/test_registry.py checks the values).
            entry["code_version"] = "model" if spec.code_version else None
        assets[spec.key.to_user_string()] = entry
    checks = sorted(
        (
            {"asset": key.asset_key.to_user_string(), "name": key.name, "blocking": graph.get_check_spec(key).blocking}
            for key in graph.asset_check_keys
        ),
        key=lambda c: (c["asset"], c["name"]),
    )
    jobs = {}
    for job in defs.resolve_all_job_defs():
        if job.name.startswith("__"):  # Dagster's implicit asset job
            continue
        layer = job.asset_layer
        jobs[job.name] = {
            "assets": sorted(k.to_user_string() for k in layer.executable_asset_keys),
            "checks": sorted(f"{k.asset_key.to_user_string()}:{k.name}" for k in layer.asset_graph.asset_check_keys),
            "partitioned_by": job.partitions_def.name if job.partitions_def is not None else None,
            "executor": job.executor_def.name,
        }
    repo = defs.get_repository_def()
    sensors = {
        s.name: {
            "type": s.sensor_type.value,
            "targets": sorted(t.job_name for t in s.targets),
            "default_status": s.default_status.value,
            "minimum_interval_seconds": s.minimum_interval_seconds,
        }
        for s in repo.sensor_defs
    }
    schedules = {
        s.name: {
            "target": s.job_name,
            "cron": s.cron_schedule,
            "timezone": s.execution_timezone,
            "default_status": s.default_status.value,
        }
        for s in repo.schedule_defs
    }
    resources = {key: type(value).__name__ for key, value in defs.resources.items()}
    return {"assets": assets, "checks": checks, "jobs": jobs, "sensors": sensors,
            "schedules": schedules, "resources": resources}


# -- helpers ------------------------------------------------------------------------
def _instance_dir(root: Path) -> str:
    """A folder for a persistent (sqlite) Dagster instance, telemetry off."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    return str(root)


def _materializations(result) -> dict[str, dg.AssetMaterialization]:
    return {
        e.asset_key.to_user_string(): e.step_materialization_data.materialization
        for e in result.get_asset_materialization_events()
    }


def _meta(materialization: dg.AssetMaterialization, key: str):
    return materialization.metadata[key].value


def _ingest(paths: Paths, instance: dg.DagsterInstance, session: int, **kwargs):
    return dg.materialize(INGEST, partition_key=str(session), instance=instance,
                          resources=build_resources(paths), **kwargs)


def _publish(paths: Paths, instance: dg.DagsterInstance, **kwargs):
    return dg.materialize([global_marts, published_snapshot], instance=instance, resources=build_resources(paths), **kwargs)


def _session_state(warehouse: Path, session: int) -> dict[str, tuple[int, str]]:
    """Row count and a content hash of every core table for one session, plus its load state."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        state = {
            table: con.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::VARCHAR, chr(10) ORDER BY t::VARCHAR), '')) "
                f"FROM core.{table} t WHERE session = ?",
                [session],
            ).fetchone()
            for table in CORE_TABLES
        }
        state["raw.load_state"] = con.execute(
            "SELECT count(*), string_agg(layer || '=' || fingerprint || '@' || loaded_at::VARCHAR, ';' ORDER BY layer) "
            "FROM raw.load_state WHERE session = ?",
            [session],
        ).fetchone()
    finally:
        con.close()
    return state


def _count(db: Path, sql: str, params: list | None = None) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchone()[0]
    finally:
        con.close()


def _sensor_context(instance, paths: Paths, defs: dg.Definitions, cursor: str | None = None):
    return dg.build_sensor_context(
        instance=instance,
        instance_ref=instance.get_ref(),
        cursor=cursor,
        resources={"unga": UngaPaths(data_dir=str(paths.root))},
        definitions=defs,
    )


def _tick(instance, paths: Paths, defs: dg.Definitions, cursor: str | None = None):
    """One evaluation as the daemon does it: run requests resolved against the ingest job."""
    with _sensor_context(instance, paths, defs, cursor) as context:
        with dg.partition_loading_context(dynamic_partitions_store=instance):
            return landing_sensor.evaluate_tick(context)


def _apply_partition_requests(instance, data) -> None:
    """What the daemon does with a tick's dynamic partition requests."""
    for request in data.dynamic_partitions_requests or []:
        if isinstance(request, dg.DeleteDynamicPartitionsRequest):
            for key in request.partition_keys:
                instance.delete_dynamic_partition(request.partitions_def_name, key)
        else:
            assert isinstance(request, dg.AddDynamicPartitionsRequest)
            instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))


def _requested(data) -> list[tuple[str, str]]:
    return [(r.partition_key, r.run_key) for r in data.run_requests]


def _added(data) -> list[str]:
    return [k for r in data.dynamic_partitions_requests or [] for k in r.partition_keys
            if isinstance(r, dg.AddDynamicPartitionsRequest)]


def _deleted(data) -> list[str]:
    return [k for r in data.dynamic_partitions_requests or [] for k in r.partition_keys
            if isinstance(r, dg.DeleteDynamicPartitionsRequest)]


# -- fixtures -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def definitions_module(tmp_path_factory):
    """orchestration.definitions, imported with UNGA_DATA_DIR on a temporary folder.

    Importing it builds `defs` for the default data dir (and creates its warehouse
    folder), so it must never be imported pointing at ./data.
    """
    default_dir = tmp_path_factory.mktemp("import-default") / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ENV_VAR, str(default_dir))
        if "orchestration.definitions" in sys.modules:
            module = importlib.reload(sys.modules["orchestration.definitions"])
        else:
            module = importlib.import_module("orchestration.definitions")
    module.__test_default_dir__ = default_dir
    return module


@pytest.fixture(scope="module")
def materialized_78(tmp_path_factory):
    """Session 78 materialized through Dagster with its checks, then the snapshot published."""
    paths = make_data_dir(tmp_path_factory.mktemp("mat78") / "data", [78])
    with dg.DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions(ga_session.name, ["78"])
        ingest = _ingest(paths, instance, 78)
        publish = _publish(paths, instance)
    return paths, ingest, publish


@pytest.fixture(scope="module")
def dagster_built_78(tmp_path_factory):
    """`build_with_dagster` on a data dir with session 78 only: what `unga build` does."""
    paths = make_data_dir(tmp_path_factory.mktemp("dagster78") / "data", [78])
    messages: list[str] = []
    summary = build_with_dagster(paths, progress=messages.append)
    return paths, summary, messages


# -- 1. the definitions -------------------------------------------------------------
def test_definitions_snapshot(definitions_module, tmp_path, snapshot):
    """The asset graph, its checks, jobs, sensors, schedule and resources against a snapshot.

    `_graph_listing` is compared with the reviewed listing in
    tests/__snapshots__/test_orchestration/test_definitions_snapshot.json (syrupy). After an
    intended change to the definitions, rewrite it and commit it with the change:

        pytest tests/test_orchestration.py -k definitions_snapshot --snapshot-update

    (`-k snapshot` alone also selects tests of the published snapshot that build sessions.)
    The reviewer reads that file's diff: it is the change to the graph. The asserts below
    are the rules every graph keeps, whatever it lists.
    """
    paths = Paths(tmp_path / "data")
    defs = definitions_module.build_definitions(paths)
    dg.Definitions.validate_loadable(defs)
    assert _graph_listing(defs) == snapshot(extension_class=JSONSnapshotExtension)

    graph = defs.resolve_asset_graph()
    for spec in defs.resolve_all_asset_specs():
        key = spec.key.to_user_string()
        assert spec.description and spec.description.strip(), key
        assert spec.group_name, key
        assert spec.kinds and "duckdb" in spec.kinds, key

    # Every structural check is described; none stops the run in Dagster: the snapshot asset
    # holds back the resolutions a failure names, or blocks the snapshot when it names none.
    check_specs = [s for c in structural_checks for s in c.check_specs]
    assert check_specs
    assert all(s.description for s in check_specs)
    assert not any(s.blocking for s in check_specs)

    # Every job resolves; the ingest job runs what a session's run materializes here (INGEST),
    # with the checks, everything in it partitioned by session, one writer at a time.
    ingest = defs.resolve_job_def("ingest_session")
    assert ingest.partitions_def == ga_session
    assert {k.to_user_string() for k in ingest.asset_layer.executable_asset_keys} == INGEST_ASSETS
    assert {k.name for k in ingest.asset_layer.asset_graph.asset_check_keys} == CHECK_NAMES
    for key in ingest.asset_layer.executable_asset_keys:
        assert graph.get(key).partitions_def == ga_session, key
    assert ingest.executor_def.name == "in_process"  # one writer at a time
    # The publish job spans sessions: nothing in it is partitioned.
    publish = defs.resolve_job_def("publish_snapshot")
    for key in publish.asset_layer.executable_asset_keys:
        assert graph.get(key).partitions_def is None, key
    assert publish.executor_def.name == "in_process"

    # Resources point at the data dir it was built for.
    resources = defs.resources
    assert Path(resources["unga"].data_dir) == paths.root
    assert Path(resources["duckdb"].database) == paths.warehouse

    # The module-level `defs` Dagster loads honours UNGA_DATA_DIR.
    default = definitions_module.defs
    assert Path(default.resources["unga"].data_dir) == definitions_module.__test_default_dir__.resolve()


# -- 2. one session through Dagster, then the snapshot ---------------------------------
def test_materialize_session_78_and_publish(materialized_78):
    paths, ingest, publish = materialized_78
    assert ingest.success

    evaluations = ingest.get_asset_check_evaluations()
    assert {e.asset_check_key.name for e in evaluations} == CHECK_NAMES
    failed = [(e.asset_check_key.name, e.metadata) for e in evaluations if not e.passed]
    assert not failed
    assert all(e.metadata["violations"].value == 0 for e in evaluations)

    mats = _materializations(ingest)
    assert set(mats) == INGEST_ASSETS
    assert all(m.partition == "78" for m in mats.values())
    assert _meta(mats["core/dim_resolution"], "rows") == RESOLUTIONS_78
    assert _meta(mats["core/dim_resolution"], "skipped_unchanged") is False
    assert _meta(mats["staging/resolutions"], "resolution") == RESOLUTIONS_78
    assert _meta(mats["raw/documents"], "rejected") == 0
    assert _count(paths.warehouse, "SELECT count(*) FROM core.dim_resolution WHERE session = 78") == RESOLUTIONS_78
    # Each core asset's "rows" is what the working warehouse holds for the session.
    for name in CORE_TABLES:
        rows = _count(paths.warehouse, f"SELECT count(*) FROM core.{name} WHERE session = 78")
        assert _meta(mats[f"core/{name}"], "rows") == rows, name

    assert publish.success
    assert set(_materializations(publish)) == {"published/snapshot", *(f"marts/{name}" for name in GLOBAL_MARTS)}
    assert _meta(_materializations(publish)["marts/series"], "rows") == 0  # one session: nothing recurs yet
    pub = _materializations(publish)["published/snapshot"]
    assert _meta(pub, "resolutions") == RESOLUTIONS_78
    assert Path(_meta(pub, "path")) == paths.snapshot
    assert paths.snapshot.is_file()
    assert _count(paths.snapshot, "SELECT count(*) FROM core.dim_resolution") == RESOLUTIONS_78
    assert _count(paths.snapshot, "SELECT count(*) FROM ops.check_result WHERE violations > 0") == 0
    assert _count(paths.snapshot, "SELECT count(*) FROM ops.build_info WHERE run_id = ?", [publish.run_id]) == 1
    # The Great Expectations suites ran as the snapshot's asset checks, on the file published:
    # every blocking suite passed, the raw one on the working warehouse; their rows are in
    # ops.suite_result, and the asset links the Data Docs and the quality report.
    suite_checks = {e.asset_check_key.name: e for e in publish.get_asset_check_evaluations()}
    assert set(suite_checks) == {f"suite_{name}" for name in SUITE_NAMES}
    assert all(suite_checks[f"suite_{name}"].passed for name in BLOCKING), {
        n: e.metadata["failures"].value for n, e in suite_checks.items() if not e.passed}
    assert suite_checks["suite_raw"].metadata["expectations"].value > 0
    assert _count(paths.snapshot, "SELECT count(DISTINCT suite) FROM ops.suite_result WHERE blocking") == len(BLOCKING)
    assert _count(paths.snapshot, "SELECT count(*) FROM ops.suite_result WHERE blocking AND NOT success") == 0
    assert Path(_meta(pub, "data_docs")).is_file() and Path(_meta(pub, "data_docs")).name == "index.html"
    assert "core_paragraphs" in Path(_meta(pub, "data_docs")).read_text(encoding="utf-8")
    assert Path(_meta(pub, "quality_report")).resolve() == (paths.reports / "latest" / "quality.html").resolve()
    assert _count(paths.snapshot, "SELECT count(*) FROM ops.completeness WHERE session = 78") == 1
    # No temporary file is left beside the snapshot; the Parquet and network files are linked.
    assert sorted(p.name for p in paths.published_dir.iterdir()) == ["exports", "files", "parquet", "unga.duckdb"]
    assert (paths.published_dir / "parquet" / "core" / "fact_paragraph.parquet").is_file()


# -- 3. a partition re-run replaces exactly that partition ----------------------------
def test_rerunning_a_partition_replaces_only_that_partition(tmp_path):
    paths = make_data_dir(tmp_path / "data", [77, 78])
    with dg.DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions(ga_session.name, ["77", "78"])
        assert _ingest(paths, instance, 77).success
        assert _ingest(paths, instance, 78).success
        before_77 = _session_state(paths.warehouse, 77)
        before_78 = _session_state(paths.warehouse, 78)
        assert before_77["dim_resolution"][0] > 0 and before_78["dim_resolution"][0] == RESOLUTIONS_78

        # Unchanged inputs: every layer of 78 is skipped and nothing moves.
        again = _ingest(paths, instance, 78)
        assert again.success
        mats = _materializations(again)
        assert all(_meta(m, "skipped_unchanged") is True for m in mats.values())
        assert _session_state(paths.warehouse, 77) == before_77
        assert _session_state(paths.warehouse, 78) == before_78

        # Forced: 78's load state forgotten (as after a code change), so raw, staging and
        # core of 78 are deleted and rebuilt; 77 is not touched, 78 comes back identical.
        con = duckdb.connect(str(paths.warehouse))
        con.execute("DELETE FROM raw.load_state WHERE session = 78")
        con.close()
        rebuilt = _ingest(paths, instance, 78)
        assert rebuilt.success
        mats = _materializations(rebuilt)
        assert all(_meta(m, "skipped_unchanged") is False for m in mats.values())
        assert _meta(mats["core/dim_resolution"], "rows") == RESOLUTIONS_78
        assert _session_state(paths.warehouse, 77) == before_77
        after_78 = _session_state(paths.warehouse, 78)
        assert {k: v for k, v in after_78.items() if k != "raw.load_state"} == {
            k: v for k, v in before_78.items() if k != "raw.load_state"
        }
        assert after_78["raw.load_state"] != before_78["raw.load_state"]  # it was really rebuilt


# -- 4. a failing blocking check stops publication -------------------------------------
def test_failing_blocking_check_keeps_last_good_snapshot(materialized_78, tmp_path):
    source, _, _ = materialized_78
    paths = Paths(tmp_path / "data")
    shutil.copytree(source.root, paths.root)
    good = paths.snapshot.read_bytes()
    resource = DuckDBResource(database=str(paths.warehouse))

    # The checks pass on the good build, called directly as Dagster would.
    for check in structural_checks:
        result = check(duckdb=resource)
        assert result.passed, (check.check_key.name, result.metadata)

    con = duckdb.connect(str(paths.warehouse))
    con.execute("INSERT INTO core.dim_resolution SELECT * FROM core.dim_resolution WHERE session = 78 "
                "ORDER BY symbol LIMIT 1")
    duplicated = con.execute("SELECT symbol FROM core.dim_resolution GROUP BY symbol HAVING count(*) > 1").fetchall()
    assert len(duplicated) == 1
    direct = evaluate(con, "unique_keys")
    con.close()
    assert direct.passed is False
    assert direct.metadata["violations"].value > 0

    unique_keys = next(c for c in structural_checks if c.check_key.name == "unique_keys")
    result = unique_keys(duckdb=resource)
    assert result.passed is False
    assert result.metadata["violations"].value > 0
    assert duplicated[0][0] in result.metadata["sample"].value

    with dg.DagsterInstance.ephemeral() as instance:
        blocked = _publish(paths, instance, raise_on_error=False)
    assert not blocked.success
    assert "published/snapshot" not in _materializations(blocked)
    failure = blocked.get_step_failure_events()[0].step_failure_data
    assert "unique_keys" in failure.error.message
    assert failure.user_failure_data.metadata["unique_keys"].value > 0
    assert paths.snapshot.read_bytes() == good
    assert sorted(p.name for p in paths.published_dir.iterdir()) == ["exports", "files", "parquet", "unga.duckdb"]
    assert len(list((paths.published_dir / "files").iterdir())) == 1  # no new publication folder


def test_failing_check_is_reported_on_the_session_run(materialized_78, tmp_path):
    """Re-running the partition does not hide the corruption: the check fails, in red. It does not
    stop the run: the snapshot asset decides whether to hold the resolution back or block."""
    source, _, _ = materialized_78
    paths = Paths(tmp_path / "data")
    shutil.copytree(source.root, paths.root)
    con = duckdb.connect(str(paths.warehouse))
    con.execute("UPDATE core.fact_paragraph SET text = '' WHERE session = 78 AND paragraph_key = "
                "(SELECT min(paragraph_key) FROM core.fact_paragraph WHERE session = 78)")
    con.close()
    with dg.DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions(ga_session.name, ["78"])
        result = _ingest(paths, instance, 78, raise_on_error=False)
    assert result.success
    outcome = {e.asset_check_key.name: e.passed for e in result.get_asset_check_evaluations()}
    assert outcome["paragraph_text_not_empty"] is False
    assert all(v for k, v in outcome.items() if k != "paragraph_text_not_empty")


# -- 5. the landing sensor ---------------------------------------------------------------
def test_landing_sensor(definitions_module, tmp_path):
    paths = make_data_dir(tmp_path / "data", [77, 78])
    defs = definitions_module.build_definitions(paths)
    with dg.DagsterInstance.local_temp(_instance_dir(tmp_path / "dagster_home")) as instance:
        # First look: both sessions become partitions, and each gets one run.
        with _sensor_context(instance, paths, defs) as context:
            first = landing_sensor(context)
        assert isinstance(first, dg.SensorResult)
        assert _added(first) == ["77", "78"]
        assert [r.partitions_def_name for r in first.dynamic_partitions_requests] == ["ga_session"]
        assert [r.partition_key for r in first.run_requests] == ["77", "78"]
        assert len({r.run_key for r in first.run_requests}) == 2
        assert first.skip_reason is None
        assert set(json.loads(first.cursor)) == {"77", "78"}

        # The same through evaluate_tick: the run requests resolve against the ingest job.
        tick = _tick(instance, paths, defs)
        assert _added(tick) == ["77", "78"]
        assert [(r.partition_key, r.tags["dagster/partition"]) for r in tick.run_requests] == [("77", "77"), ("78", "78")]
        assert _requested(tick) == [(r.partition_key, r.run_key) for r in first.run_requests]
        _apply_partition_requests(instance, tick)
        assert instance.get_dynamic_partitions(ga_session.name) == ["77", "78"]

        # Nothing changed: nothing requested.
        quiet = _tick(instance, paths, defs, tick.cursor)
        assert quiet.run_requests == [] and _added(quiet) == []
        assert quiet.skip_message
        cursor = quiet.cursor

        # A loose XML file for 78 (a copy of one of its zip members): one run, for 78.
        with zipfile.ZipFile(paths.landing / ZIP.format(78)) as zf:
            member = next(n for n in zf.namelist() if n.endswith(".xml"))
            xml = zf.read(member)
        (paths.landing / "extra").mkdir()
        (paths.landing / "extra" / "x.xml").write_bytes(xml)
        changed = _tick(instance, paths, defs, cursor)
        assert [r.partition_key for r in changed.run_requests] == ["78"]
        assert changed.run_requests[0].run_key not in {k for _, k in _requested(tick)}
        assert _added(changed) == []
        cursor = changed.cursor
        assert _tick(instance, paths, defs, cursor).run_requests == []

        # A new session lands: a new partition and a run for it only.
        target = paths.landing / ZIP.format(79)
        shutil.copyfile(BUNDLED / ZIP.format(79), target)
        new = _tick(instance, paths, defs, cursor)
        assert _added(new) == ["79"]
        assert [r.partition_key for r in new.run_requests] == ["79"]
        _apply_partition_requests(instance, new)
        assert instance.get_dynamic_partitions(ga_session.name) == ["77", "78", "79"]
        assert _tick(instance, paths, defs, new.cursor).run_requests == []


def test_landing_sensor_change_reverted_gets_a_fresh_run_key(definitions_module, tmp_path):
    paths = make_data_dir(tmp_path / "data", [78])
    defs = definitions_module.build_definitions(paths)
    metadata = paths.landing / META.format(78)
    with dg.DagsterInstance.local_temp(_instance_dir(tmp_path / "dagster_home")) as instance:
        state_a = _tick(instance, paths, defs)
        _apply_partition_requests(instance, state_a)
        used = {k for _, k in _requested(state_a)}

        held = metadata.read_bytes()
        metadata.unlink()  # DGACM's metadata withdrawn: 78 is rebuilt without it
        state_b = _tick(instance, paths, defs, state_a.cursor)
        assert [p for p, _ in _requested(state_b)] == ["78"]
        used |= {k for _, k in _requested(state_b)}

        metadata.write_bytes(held)  # and restored: 78 must be rebuilt with it again
        state_c = _tick(instance, paths, defs, state_b.cursor)
        assert [p for p, _ in _requested(state_c)] == ["78"]
        # The daemon drops a run request whose run_key this sensor already used.
        assert state_c.run_requests[0].run_key not in used


def test_landing_sensor_removes_a_session_whose_files_are_gone(definitions_module, tmp_path):
    paths = make_data_dir(tmp_path / "data", [77, 78])
    defs = definitions_module.build_definitions(paths)
    with dg.DagsterInstance.local_temp(_instance_dir(tmp_path / "dagster_home")) as instance:
        first = _tick(instance, paths, defs)
        _apply_partition_requests(instance, first)
        (paths.landing / ZIP.format(77)).unlink()
        (paths.landing / META.format(77)).unlink()
        after = _tick(instance, paths, defs, first.cursor)
        assert _deleted(after) == ["77"] and _added(after) == []
        # No session run, one publish run: the snapshot asset drops 77 before publishing.
        assert [(r.job_name, r.partition_key) for r in after.run_requests] == [("publish_snapshot", None)]
        _apply_partition_requests(instance, after)
        assert instance.get_dynamic_partitions(ga_session.name) == ["78"]
        assert _tick(instance, paths, defs, after.cursor).run_requests == []


# -- 6. the publish trigger and the nightly schedule -------------------------------------
def test_publish_after_ingest_requests_the_publish_job(definitions_module, dagster_built_78):
    paths, _, _ = dagster_built_78
    defs = definitions_module.build_definitions(paths)
    assert defs.resolve_sensor_def("publish_after_ingest").job_name == "publish_snapshot"
    with instance_for(paths) as instance:
        # A real run of the monitored job (its layers are unchanged, so it is quick).
        result = defs.resolve_job_def("ingest_session").execute_in_process(partition_key="78", instance=instance)
        assert result.success
        run = instance.get_run_by_id(result.run_id)
        assert run.job_name == "ingest_session" and run.status == dg.DagsterRunStatus.SUCCESS
        event = result.get_run_success_event()
        with dg.build_run_status_sensor_context(
            sensor_name="publish_after_ingest", dagster_event=event, dagster_instance=instance, dagster_run=run,
        ) as context:
            request = publish_after_ingest(context)
    assert isinstance(request, dg.RunRequest)
    assert request.run_key == result.run_id
    assert request.partition_key is None  # the snapshot is not partitioned


def test_nightly_schedule_requests_every_known_partition(definitions_module, tmp_path):
    paths = Paths(tmp_path / "data")
    defs = definitions_module.build_definitions(paths)
    when = dt.datetime(2024, 5, 1, 5, 0, tzinfo=dt.UTC)
    with dg.DagsterInstance.local_temp(_instance_dir(tmp_path / "dagster_home")) as instance:
        with dg.build_schedule_context(instance=instance, scheduled_execution_time=when) as context:
            assert list(nightly_schedule(context)) == []
        instance.add_dynamic_partitions(ga_session.name, ["77", "78"])
        with dg.build_schedule_context(instance=instance, scheduled_execution_time=when) as context:
            requests = list(nightly_schedule(context))
        assert [r.partition_key for r in requests] == ["77", "78"]
        assert [r.run_key for r in requests] == ["nightly:77:2024-05-01", "nightly:78:2024-05-01"]
        with dg.build_schedule_context(instance=instance, scheduled_execution_time=when,
                                       repository_def=defs.get_repository_def()) as context:
            data = nightly_schedule.evaluate_tick(context)
        assert [(r.partition_key, r.tags["dagster/partition"]) for r in data.run_requests] == [("77", "77"), ("78", "78")]
    assert nightly_schedule.cron_schedule == "0 5 * * *"


# -- 7. build_with_dagster: what `unga build` runs ---------------------------------------
def test_build_with_dagster(dagster_built_78):
    paths, summary, messages = dagster_built_78
    assert summary["status"] == "published"
    assert summary["via"] == "dagster"
    assert summary["sessions"] == [78]
    assert summary["session_runs"] == {78: "success"}
    assert any("session 78: success" in m for m in messages)

    assert paths.snapshot.is_file()
    assert _count(paths.snapshot, "SELECT count(*) FROM core.dim_resolution WHERE session = 78") == RESOLUTIONS_78

    with instance_for(paths) as instance:
        assert instance.get_dynamic_partitions(ga_session.name) == ["78"]
        runs = instance.get_runs(filters=dg.RunsFilter(tags={"unga/trigger": "cli"}))
        # One run: the session's assets and checks, the global marts and the snapshot.
        assert len(runs) == 1
        assert all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs)
        assert [r.tags.get("dagster/partition", "") for r in runs] == ["78"]
        session_run = runs[0]
        snapshot_mats = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey(["published", "snapshot"])), limit=10).records
        assert [m.run_id for m in snapshot_mats] == [session_run.run_id]
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey(["core", "dim_resolution"])), limit=10
        ).records
        mats = [m for m in records if m.run_id == session_run.run_id]
        assert [m.partition_key for m in mats] == ["78"]
        assert mats[0].asset_materialization.metadata["rows"].value == RESOLUTIONS_78

    lines = [json.loads(line) for line in paths.runs_log.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0]["status"] == "published" and lines[0]["via"] == "dagster"
    assert lines[0]["sessions"] == [78] and lines[0]["session_runs"] == {"78": "success"}
    assert lines[0]["seconds"] == summary["seconds"]
    # The quality report gives the run's duration, from the Dagster run's start to the report.
    duration = re.search(r"^\| duration +\| ([\d.]+) s +\|", (paths.reports / "latest" / "quality.md").read_text(), re.M)
    assert duration and 0 < float(duration.group(1)) <= summary["seconds"], duration


def test_session_ranges_follow_the_partition_order():
    from orchestration.runner import session_ranges

    order = ["74", "75", "76", "77", "78", "79", "73"]
    assert session_ranges(order, [74, 75, 76, 77, 78, 79, 73]) == [("74", "73")]
    assert session_ranges(order, [75, 76, 78]) == [("75", "76"), ("78", "78")]
    assert session_ranges(order, [73, 74]) == [("74", "74"), ("73", "73")]
    assert session_ranges(order, []) == []


def test_build_with_dagster_runs_sessions_as_one_range_and_keeps_an_unchanged_snapshot(tmp_path):
    """Two sessions, the global marts and the snapshot in one run; a second build changes nothing."""
    paths = make_data_dir(tmp_path / "data", [77, 78])
    messages: list[str] = []
    summary = build_with_dagster(paths, progress=messages.append)
    assert summary["status"] == "published", (summary, messages)
    assert summary["session_runs"] == {77: "success", 78: "success"}
    assert any("sessions 77-78 and the snapshot: running in Dagster" in m for m in messages), messages
    with instance_for(paths) as instance:
        runs = instance.get_runs(filters=dg.RunsFilter(tags={"unga/trigger": "cli"}))
        assert len(runs) == 1
        run = runs[0]
        assert run.tags["dagster/asset_partition_range_start"] == "77"
        assert run.tags["dagster/asset_partition_range_end"] == "78"
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey(["core", "dim_resolution"])), limit=10).records
        assert sorted(m.partition_key for m in records if m.run_id == run.run_id) == ["77", "78"]
    by_session = dict(duckdb.connect(str(paths.snapshot), read_only=True).execute(
        "SELECT session, count(*) FROM core.dim_resolution GROUP BY 1").fetchall())
    assert by_session == {77: 348, 78: RESOLUTIONS_78}

    # Nothing changed: no run is launched at all, and the snapshot file is kept as it is.
    before = (paths.snapshot.stat().st_mtime_ns, paths.snapshot.stat().st_ino)
    said: list[str] = []
    again = build_with_dagster(paths, progress=said.append)
    assert again["status"] == "published" and again["snapshot"] == "unchanged" and again["session_runs"] == {}
    assert any(m.startswith("nothing changed since the last build: no Dagster run launched") for m in said), said
    assert (paths.snapshot.stat().st_mtime_ns, paths.snapshot.stat().st_ino) == before
    with instance_for(paths) as instance:
        assert len(instance.get_runs(filters=dg.RunsFilter(tags={"unga/trigger": "cli"}))) == 1

    # A run that finds nothing to do (one session asked for: it runs) keeps the snapshot too,
    # and its suite checks report the results of the validation that published it.
    one = build_with_dagster(paths, sessions=[78])
    assert one["status"] == "published" and one["session_runs"] == {78: "success"}
    assert (paths.snapshot.stat().st_mtime_ns, paths.snapshot.stat().st_ino) == before
    with instance_for(paths) as instance:
        latest = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey(["published", "snapshot"])), limit=1).records[0]
        assert latest.asset_materialization.metadata["rewritten"].value is False
        checks = instance.event_log_storage.get_asset_check_execution_history(
            dg.AssetCheckKey(dg.AssetKey(["published", "snapshot"]), "suite_core_paragraphs"), limit=2)
        assert len(checks) == 2
        assert all(c.status.value == "SUCCEEDED" for c in checks)
