"""Status: which sessions the snapshot holds, which build wrote it, what the checks and
quality suites found, and the latest quality report."""

from __future__ import annotations

import base64

import polars as pl
import streamlit as st

from dashboards import charts, queries, ui


def _last_run() -> None:
    run = queries.last_run(ui.paths())
    if not run:
        st.caption("Last build: none recorded yet (`make run` or `unga build` records one in runs.jsonl).")
        return
    seconds = run.get("seconds")
    st.caption(f"Last build: {run.get('status', '?')} at {run.get('finished_at', '?')} UTC "
               f"({run.get('via') or '-'}{f', {seconds} s' if seconds is not None else ''}).")


def _quality_report() -> None:
    st.subheader("Quality report")
    report = queries.quality_report(ui.paths())
    if report is None:
        ui.empty(f"No quality report yet: every `unga build` writes one to "
                 f"`{ui.paths().reports / 'latest' / 'quality.html'}`.")
        return
    data = report.read_bytes()
    st.markdown(f"The latest report: `{report}` (open it in a browser, or download it).")
    st.download_button("Download the quality report (HTML)", data, file_name="quality.html", mime="text/html",
                       key="download-quality-report", on_click="ignore", icon=":material/download:")
    with st.expander("Read the quality report here", expanded=False):
        # A data: address gives the iframe an opaque origin: the report cannot reach the app.
        st.iframe("data:text/html;base64," + base64.b64encode(data).decode("ascii"), height=700)


def _suites() -> None:
    st.subheader("Expectation suites")
    suites = ui.load("optional_ops", table="suite_result")
    if suites is None:
        st.caption("This snapshot has no expectation-suite results (ops.suite_result): "
                   "a build with the quality suites adds them.")
        return
    if suites.is_empty():
        st.caption("No expectation was evaluated.")
        return
    if {"suite", "success"} <= set(suites.columns):
        summary = suites.group_by("suite", maintain_order=True).agg(
            pl.len().alias("expectations"), (~pl.col("success").fill_null(False)).sum().alias("failed"),
            *([pl.col("blocking").first()] if "blocking" in suites.columns else []))
        failed = int(summary["failed"].sum())
        (st.success if failed == 0 else st.warning)(
            f"{suites.height - failed} of {suites.height} expectations passed.")
        st.dataframe(summary, hide_index=True)
        failures = suites.filter(~pl.col("success").fill_null(False))
        if failures.height:
            st.dataframe(failures, hide_index=True)
    else:
        st.dataframe(suites, hide_index=True)
    ui.download(suites, "suite_result")


def page() -> None:
    st.title("Status")
    snap = ui.snapshot(required=False)
    if snap is None:
        ui.no_snapshot()
        _last_run()
        _quality_report()
        return
    info = ui.load("build_info")
    row = info.row(0, named=True) if info.height else {}
    published = row.get("published_at")
    st.markdown(
        f"**Published** {published:%Y-%m-%d %H:%M:%S} UTC" if published else "**Published** -")
    st.markdown(f"**Sessions** {', '.join((row.get('sessions') or '-').split(','))} · "
                f"**built** {row.get('via') or '-'} (run `{row.get('run_id') or '-'}`) · "
                f"**code version** `{row.get('code_version') or '-'}`")
    st.caption(f"Snapshot `{snap.path}` ({snap.size / 1e6:.1f} MB).")
    _last_run()

    st.subheader("Sessions loaded")
    sessions = ui.load("status_sessions")
    if sessions.is_empty():
        ui.empty("The snapshot holds no session.")
    else:
        st.dataframe(sessions, hide_index=True, column_config={
            "session": st.column_config.NumberColumn("Session", format="%d"), "label": None,
            "resolutions": "Resolutions", "paragraphs": "Paragraphs", "footnotes": "Footnotes",
            "rejected": "Rejected files",
            "first_adopted": st.column_config.DateColumn("First adoption"),
            "last_adopted": st.column_config.DateColumn("Last adoption")})
        bars = charts.hbar(sessions, "session:O", "resolutions:Q", value_title="Resolutions",
                           category_title="Session", sort=None,
                           tooltip=["label:N", "resolutions:Q", "paragraphs:Q", "footnotes:Q", "rejected:Q"])
        ui.chart(bars, sessions, "sessions")

    st.subheader("Checks before publishing")
    checks = ui.load("check_results")
    failed = checks.filter(pl.col("violations") > 0)
    if checks.is_empty():
        st.caption("No check results in this snapshot.")
    elif failed.is_empty():
        st.success(f"All {checks.height} blocking checks passed: "
                   + ", ".join(checks["check_name"].to_list()) + ".", icon=":material/check_circle:")
    else:
        st.error("Checks with violations: " + ", ".join(
            f"{r['check_name']} ({r['violations']})" for r in failed.iter_rows(named=True)))
    _suites()

    completeness = ui.load("optional_ops", table="completeness")
    if completeness is not None:
        st.subheader("Completeness against DGACM's metadata")
        st.dataframe(completeness, hide_index=True)
        ui.download(completeness, "completeness")

    st.subheader("Rejected files")
    rejected = ui.load("rejected")
    if rejected.is_empty():
        st.caption("No file was rejected.")
    else:
        st.dataframe(rejected, hide_index=True)
        ui.download(rejected, "rejected")

    _quality_report()

    if queries.TIMINGS:
        with st.expander("Query times (this server, last uncached run of each query)"):
            st.dataframe(pl.DataFrame({"query": list(queries.TIMINGS),
                                       "ms": [round(v * 1000, 1) for v in queries.TIMINGS.values()]})
                         .sort("ms", descending=True), hide_index=True)
    ui.query_time_caption()
