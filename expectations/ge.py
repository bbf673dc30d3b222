"""Great Expectations, wrapped: an ephemeral context with (optionally) a local Data Docs site,
a frame's validation, its failing rows by symbol, and GE's results turned into outcomes.

GE is imported on first use (it is slow to import), and silenced while it works."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from .results import SAMPLE_SIZE, ExpectationOutcome, SuiteOutcome, _text
from .spec import Expect, Frame, SuiteDef


DATASOURCE = "unga"
RUN_NAME = "unga-suites"


# Quiet GE: its loggers warn about things the runner handles (deprecations, empty batches).
logging.getLogger("great_expectations").setLevel(logging.ERROR)


# ------------------------------------------------------------------------------ outcomes

def _outcome(suite: str, frame: Frame, e: Expect, r, error: str | None) -> ExpectationOutcome:
    gx_type = _snake(e.gx_class)
    if r is None:
        return ExpectationOutcome(suite, e.name, frame.name, e.column, gx_type, e.description, False, None, [],
                                  error or "not evaluated")
    result = dict(r.result or {})
    exc = _exception(r)
    count = result.get("unexpected_count")
    sample = result.get("partial_unexpected_list")
    if sample is None and "partial_missing_list" in result:
        sample = result.get("partial_missing_list")
        count = result.get("missing_count", len(sample or []))
    if sample is None and e.gx_class in ("ExpectColumnDistinctValuesToEqualSet", "ExpectColumnDistinctValuesToContainSet"):
        observed = set(map(str, result.get("observed_value") or []))
        expected = set(map(str, (r.expectation_config.kwargs.get("value_set") or [])))
        extra = sorted(observed - expected)
        missing = sorted(expected - observed)
        sample = [f"unexpected {v}" for v in extra] + [f"missing {v}" for v in missing]
        count = len(sample)
    if sample is None and not r.success and "observed_value" in result:
        sample = [result.get("observed_value")]
    success = bool(r.success) and error is None and exc is None
    return ExpectationOutcome(
        suite, e.name, frame.name, e.column, gx_type, e.description, success,
        None if count is None else int(count),
        [_text(v) for v in (sample or [])][:SAMPLE_SIZE] if not success else [],
        error or exc)


def _exception(r) -> str | None:
    info = r.exception_info or {}
    if info.get("raised_exception"):
        return str(info.get("exception_message") or "raised an exception").splitlines()[0]
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message") or "raised an exception").splitlines()[0]
    return None


def _snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i:
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


# ------------------------------------------------------------------------------------ GE

class _GX:
    """An ephemeral GE context (in-memory stores, no files) and, given a directory, a
    local Data Docs site in it."""

    def __init__(self, site_dir: Path | None, run_time: dt.datetime):
        with _quiet():
            import great_expectations as gx  # deferred (and silenced): GE is slow to import; only suite runs need it
            from great_expectations.core.run_identifier import RunIdentifier
            from great_expectations.data_context.types.base import (
                DataContextConfig,
                InMemoryStoreBackendDefaults,
                ProgressBarsConfig,
            )

            sites = {}
            if site_dir is not None:
                site_dir.mkdir(parents=True, exist_ok=True)
                sites = {"local": {
                    "class_name": "SiteBuilder",
                    "show_how_to_buttons": False,
                    "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                                      "base_directory": str(site_dir.resolve())},
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                }}
            config = DataContextConfig(
                store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
                analytics_enabled=False,
                progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
                data_docs_sites=sites,
            )
            self.gx = gx
            self.context = gx.get_context(project_config=config, mode="ephemeral")
            self.datasource = self.context.data_sources.add_pandas(DATASOURCE)
            self.run_id = RunIdentifier(run_name=RUN_NAME, run_time=run_time)
            self.run_time = run_time
            self.site_dir = site_dir
            self.validated: list[str] = []

    def validate(self, suite: SuiteDef, frame: Frame, data: pd.DataFrame, lookups: dict[str, dict]):
        """Validate one frame; its results and (with a site) the path of its page."""
        import great_expectations.expectations as gxe  # deferred: GE is slow to import

        name = f"{suite.name}.{frame.name}"
        with _quiet():
            gx_suite = self.gx.ExpectationSuite(
                name=name, meta={"suite": suite.name, "blocking": suite.blocking, "frame": frame.name,
                                 "notes": suite.description})
            for e in frame.expectations:
                kwargs = lookups.get(e.name, e.kwargs)
                cls = getattr(gxe, e.gx_class)
                extra: dict[str, Any] = {}
                if e.when is not None:
                    extra["row_condition"] = _condition(e.when)
                if not suite.blocking:
                    from great_expectations.expectations.metadata_types import FailureSeverity  # deferred: GE

                    extra["severity"] = FailureSeverity.WARNING
                gx_suite.add_expectation(cls(**kwargs, description=e.description,
                                             meta={"name": e.name, "suite": suite.name}, **extra))
            asset = self.datasource.add_dataframe_asset(name)
            batch_definition = asset.add_batch_definition_whole_dataframe("whole")
            result_format = {"result_format": "BASIC", "partial_unexpected_count": SAMPLE_SIZE * 4}
            if self.site_dir is None:
                # No Data Docs: validate the batch directly, storing nothing (faster).
                batch = batch_definition.get_batch(batch_parameters={"dataframe": data})
                result = batch.validate(gx_suite, result_format=result_format)
            else:
                # Data Docs: a validation definition stores the suite and its result for the site.
                gx_suite = self.context.suites.add(gx_suite)
                vd = self.context.validation_definitions.add(
                    self.gx.ValidationDefinition(name=name, data=batch_definition, suite=gx_suite))
                result = vd.run(batch_parameters={"dataframe": data}, run_id=self.run_id,
                                result_format=result_format)
        self.validated.append(name)
        return result.results, self._page_dir(name)

    def _gx_suite(self, suite: SuiteDef, frame: Frame, lookups: dict[str, dict]):
        """The frame's GE suite, as :meth:`validate` declares it (the Data Docs render it)."""
        import great_expectations.expectations as gxe  # deferred: GE is slow to import

        expectations = []
        for e in frame.expectations:
            extra: dict[str, Any] = {}
            if e.when is not None:
                extra["row_condition"] = _condition(e.when)
            if not suite.blocking:
                from great_expectations.expectations.metadata_types import FailureSeverity  # deferred: GE

                extra["severity"] = FailureSeverity.WARNING
            cls = getattr(gxe, e.gx_class)
            expectations.append(cls(**lookups.get(e.name, e.kwargs), description=e.description,
                                    meta={"name": e.name, "suite": suite.name}, **extra))
        # Given at construction, not one add_expectation at a time: that compares each new
        # expectation with every one already added (quadratic; 1.3 s over the suites).
        return self.gx.ExpectationSuite(
            name=f"{suite.name}.{frame.name}", expectations=expectations,
            meta={"suite": suite.name, "blocking": suite.blocking, "frame": frame.name, "notes": suite.description})

    def record(self, suite: SuiteDef, frame: Frame, lookups: dict[str, dict], evaluated: dict, source: str):
        """Results computed in SQL (:mod:`expectations.sqlcheck`) as GE's own result objects,
        stored in the context's validation results store as ``ValidationDefinition.run`` stores
        them, so the Data Docs site renders the same pages. ``evaluated`` maps an expectation's
        name to its :class:`~expectations.sqlcheck.Evaluated` (absent: not evaluated, with the
        frame's error). Returns GE's results and the page's directory."""
        from great_expectations import __version__ as gx_version  # deferred: GE
        from great_expectations.core import ExpectationSuiteValidationResult, ExpectationValidationResult
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
            ValidationResultIdentifier,
        )

        name = f"{suite.name}.{frame.name}"
        with _quiet():
            gx_suite = self._gx_suite(suite, frame, lookups)
            results = []
            for e, config in zip(frame.expectations, gx_suite.expectation_configurations):
                ev = evaluated.get(e.name)
                if ev is None or ev.error is not None:
                    message = ev.error if ev is not None else "not evaluated"
                    results.append(ExpectationValidationResult(
                        success=False, expectation_config=config, result={},
                        exception_info={"raised_exception": True, "exception_message": message,
                                        "exception_traceback": None}))
                    continue
                results.append(ExpectationValidationResult(
                    success=ev.success, expectation_config=config, result=ev.result,
                    exception_info={"raised_exception": False, "exception_message": None,
                                    "exception_traceback": None}))
            if self.site_dir is not None:
                evaluated_n = len(results)
                successful = sum(bool(r.success) for r in results)
                batch_id = f"{DATASOURCE}-{name}"
                suite_result = ExpectationSuiteValidationResult(
                    success=successful == evaluated_n, results=results, suite_name=name,
                    statistics={"evaluated_expectations": evaluated_n, "successful_expectations": successful,
                                "unsuccessful_expectations": evaluated_n - successful,
                                "success_percent": successful / evaluated_n * 100 if evaluated_n else None},
                    meta={"great_expectations_version": gx_version,
                          "batch_spec": {"query": source},
                          "batch_markers": {},
                          "active_batch_definition": {"datasource_name": DATASOURCE, "data_connector_name": "sql",
                                                      "data_asset_name": name, "batch_identifiers": {}},
                          "run_id": self.run_id, "validation_time": self.run_id.run_time,
                          "batch_parameters": None},
                    batch_id=batch_id)
                self.context.suites.add(gx_suite)
                suite_id = ExpectationSuiteIdentifier(name=name)
                self.context.validation_results_store.store_validation_results(
                    suite_validation_result=suite_result,
                    suite_validation_result_identifier=ValidationResultIdentifier(
                        expectation_suite_identifier=suite_id, run_id=self.run_id, batch_identifier=batch_id),
                    expectation_suite_identifier=suite_id)
        self.validated.append(name)
        return results, self._page_dir(name)

    def validate_rows(self, suite: SuiteDef, frame: Frame, data: pd.DataFrame, lookups: dict[str, dict],
                      names: set[str]) -> dict[str, list[dict]]:
        """The failing rows of the named expectations, each with its ``__symbol``.

        Validated in memory with GE's COMPLETE result format and ``__symbol`` as the index
        column; nothing is stored or added to the Data Docs. An expectation that returns no
        row list (a table-level one) is left out.
        """
        import great_expectations.expectations as gxe  # deferred: GE is slow to import

        name = f"{suite.name}.{frame.name}.rows"
        with _quiet():
            gx_suite = self.gx.ExpectationSuite(name=name)
            for e in frame.expectations:
                if e.name not in names:
                    continue
                extra: dict[str, Any] = {}
                if e.when is not None:
                    extra["row_condition"] = _condition(e.when)
                gx_suite.add_expectation(getattr(gxe, e.gx_class)(**lookups.get(e.name, e.kwargs),
                                                                  meta={"name": e.name}, **extra))
            asset = self.datasource.add_dataframe_asset(f"{name}.{len(self.validated)}")
            batch = asset.add_batch_definition_whole_dataframe("whole").get_batch(batch_parameters={"dataframe": data})
            result = batch.validate(gx_suite, result_format={
                "result_format": "COMPLETE", "unexpected_index_column_names": ["__symbol"],
                "return_unexpected_index_query": False})
        out = {}
        for r in result.results:
            rows = (r.result or {}).get("unexpected_index_list")
            if not r.success and isinstance(rows, list) and rows and isinstance(rows[0], dict):
                out[r.expectation_config.meta.get("name")] = rows
        return out

    def _page_dir(self, name: str) -> Path | None:
        """Where GE files this run's page of a suite: validations/<suite, split on dots>/<run
        name>/<run time>/<batch id>.html (the directory; the page is its one .html file)."""
        if self.site_dir is None:
            return None
        return self.site_dir.joinpath("validations", *name.split("."), *self.run_id.to_tuple())

    def build_docs(self, outcomes: list[SuiteOutcome]) -> None:
        if self.site_dir is None:
            return
        with _quiet():
            self.context.build_data_docs(site_names=["local"])
        self._prune()
        for s in outcomes:
            pages = []
            for d in s.data_docs_pages:  # directories until now
                pages += sorted(d.glob("*.html")) if d.is_dir() else []
            s.data_docs_pages = pages

    def _prune(self) -> None:
        """Keep one run per GE suite in the site: drop the pages of earlier runs of the
        suites validated now (GE would keep every run's page, but lists only this run's,
        its stores being in memory)."""
        run_name, run_time = self.run_id.to_tuple()
        for name in self.validated:
            run_dir = self.site_dir.joinpath("validations", *name.split("."), run_name)
            if not run_dir.is_dir():
                continue
            for child in run_dir.iterdir():
                if child.is_dir() and child.name != run_time:
                    shutil.rmtree(child, ignore_errors=True)


def _condition(when):
    from great_expectations.expectations.row_conditions import Column  # deferred: GE is slow to import

    col = Column(when.column)
    if when.op == "==":
        return col == when.value
    if when.op == "!=":
        return col != when.value
    if when.op == "in":
        return col.is_in(list(when.value))
    if when.op == "not in":
        return col.is_not_in(list(when.value))
    if when.op == "is null":
        return col.is_null()
    return col.is_not_null()


class _quiet:
    """Silence GE while it works: warnings, its loggers, and any stray tqdm bar."""

    def __enter__(self):
        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        warnings.simplefilter("ignore")
        self._env = os.environ.get("TQDM_DISABLE")
        os.environ["TQDM_DISABLE"] = "1"
        return self

    def __exit__(self, *exc):
        if self._env is None:
            os.environ.pop("TQDM_DISABLE", None)
        else:
            os.environ["TQDM_DISABLE"] = self._env
        self._warnings.__exit__(*exc)
        return False
